extension Pages {
    /// The history page's layout.
    static let historyBody = #"""
    <div class="card"><h2>Filters</h2><div class="row">
      <label>From <input id="f-from" type="date"></label><label>To <input id="f-to" type="date"></label>
      <label>Result <select id="f-result"><option value="">all</option><option value="win">win</option><option value="loss">loss</option><option value="draw">draw</option></select></label>
      <label>Status <select id="f-status"><option value="">all</option><option>closed</option><option>settled</option><option>open</option><option>expired</option><option>rejected</option><option>error</option></select></label>
      <label>Strategy <input id="f-strategy" placeholder="any" class="w120"></label>
      <button id="f-today">Today</button><button id="f-week">7 days</button><button id="f-all">All</button><button id="f-load" class="ok">Load</button><button id="f-csv">Export CSV</button></div></div>
    <div class="card"><h2>Totals</h2><div id="totals" class="row">—</div><div id="overall" class="muted"></div></div>
    <div class="grid3 grid2">
      <div class="card"><h2>Equity curve</h2><svg id="equity" viewBox="0 0 300 120" preserveAspectRatio="none"></svg><div id="eq-range" class="muted"></div></div>
      <div class="card"><h2>PnL by hour of day (ET)</h2><svg id="by-hour" viewBox="0 0 240 120" preserveAspectRatio="none"></svg></div></div>
    <div class="card"><h2>Trades <span id="truncated" class="muted"></span> <button id="f-more" hidden>Load more</button></h2>
      <table id="trades"><thead><tr><th>Entered</th><th>Status</th><th>Strategy</th><th>Ticker</th><th>Side</th><th>Count</th><th>P(win)</th><th>Buy</th><th>Exit</th><th>Closed</th><th>Fees</th><th>PnL</th><th>Close</th><th>W/L</th></tr></thead><tbody></tbody></table></div>
    """#

    /// The history page's behaviour: asks `/api/trades` a page at a time (the totals are the trade manager's, over the
    /// whole filter), draws the equity curve and PnL by hour from the trades loaded, and reloads when a trade changes
    /// (a push, not a poll). Every value from the bus goes through the `html` tag or into `textContent`.
    static let historyScript = #"""
    const etDay=d=>new Intl.DateTimeFormat('en-CA',{timeZone:'America/New_York',year:'numeric',month:'2-digit',day:'2-digit'}).format(d);
    const etHour=s=>Number(new Intl.DateTimeFormat('en-US',{timeZone:'America/New_York',hour:'numeric',hourCycle:'h23'}).format(new Date(s*1000)))%24;
    const when=s=>s==null?'—':new Date(s*1000).toLocaleString();
    $('#f-today').onclick=()=>{$('#f-from').value=etDay(new Date());$('#f-to').value=etDay(new Date());load()};
    $('#f-week').onclick=()=>{$('#f-from').value=etDay(new Date(Date.now()-6*864e5));$('#f-to').value=etDay(new Date());load()};
    $('#f-all').onclick=()=>{$('#f-from').value='';$('#f-to').value='';load()};$('#f-load').onclick=()=>load();
    $('#f-more').onclick=()=>more();$('#f-csv').onclick=()=>{location.href='/api/trades.csv?'+filters().toString()};
    let last=null,rows=[],pending=null;
    function filters(){const q=new URLSearchParams();for(const [k,id] of [['from','#f-from'],['to','#f-to'],['result','#f-result'],['status','#f-status'],['strategy','#f-strategy']]){const v=$(id).value;if(v)q.set(k,v)}return q}
    async function load(){try{last=await api('/api/trades?'+filters().toString());rows=last.trades||[];draw()}catch(e){$('#totals').textContent='history unavailable: '+e.message}}
    async function more(){if(!last||!last.next_cursor)return;const q=filters();q.set('cursor',last.next_cursor);
      try{const page=await api('/api/trades?'+q.toString());rows=rows.concat(page.trades||[]);last=Object.assign(page,{summary:page.summary||last.summary});draw()}catch(e){toast('more trades: '+e.message,true)}}
    function cell(label,value,cls){const d=document.createElement('div');d.className='card';const l=document.createElement('div');l.className='muted';l.textContent=label;const v=document.createElement('div');v.className='big'+(cls?' '+cls:'');v.style.fontSize='20px';v.textContent=value;d.append(l,v);return d}
    function equity(){// cumulative PnL of the finished trades loaded, in the order they finished, from zero
      const done=rows.filter(t=>t.pnl!=null).sort((a,b)=>(a.finished_ts||a.entered_ts)-(b.finished_ts||b.entered_ts)||(a.id<b.id?-1:a.id>b.id?1:0));
      let run=0;return [0].concat(done.map(t=>run+=num(t.pnl)))}
    function draw(){if(!last)return;const s=last.summary||{};
      $('#totals').replaceChildren(cell('Trades',s.trades??'—'),cell('Wins',s.wins??'—'),cell('Losses',s.losses??'—'),cell('Win rate',s.win_rate==null?'—':s.win_rate+'%'),
        cell('PnL',usd(s.pnl),num(s.pnl)>=0?'up':'down'),cell('Fees',usd(s.fees)));
      $('#truncated').textContent=last.truncated?'('+rows.length+' of '+(s.trades??'more')+' shown)':'';$('#f-more').hidden=!last.next_cursor;
      const v=equity();if(v.length>1){const lo=Math.min(...v),hi=Math.max(...v),sp=hi-lo||1;
        const pts=v.map((y,i)=>(i/(v.length-1)*300).toFixed(1)+','+(115-(y-lo)/sp*110).toFixed(1)).join(' ');const zero=(115-(0-lo)/sp*110).toFixed(1);
        setHTML($('#equity'),html`<line x1="0" x2="300" y1="${zero}" y2="${zero}" stroke="#3a4654"/><polyline fill="none" stroke="${v[v.length-1]>=0?'#5fd38d':'#ff6b6b'}" stroke-width="1.5" points="${pts}"/>`);$('#eq-range').textContent=usd(lo)+' – '+usd(hi)+' (trades loaded)'}else{$('#equity').replaceChildren();$('#eq-range').textContent='no finished trades'}
      const hrs=Array(24).fill(0);for(const t of rows)if(t.pnl!=null)hrs[etHour(t.entered_ts)]+=num(t.pnl);const mx=Math.max(...hrs.map(Math.abs))||1;
      setHTML($('#by-hour'),html`<line x1="0" x2="240" y1="60" y2="60" stroke="#3a4654"/>${hrs.map((v,h)=>{const hgt=Math.abs(v)/mx*55;return html`<rect x="${h*10+1}" width="8" y="${v>=0?60-hgt:60}" height="${Math.max(hgt,.5)}" fill="${v>=0?'#5fd38d':'#ff6b6b'}"><title>${h}:00 ${usd(v)}</title></rect>`})}`);
      setHTML($('#trades tbody'),html`${rows.map(t=>html`<tr><td>${when(t.entered_ts)}</td><td>${t.status}</td><td>${t.strategy}</td><td>${t.ticker}</td><td>${String(t.side||'').toUpperCase()}</td><td>${t.count}</td><td>${pct(t.probability)}</td><td>${cents(t.entry_price)}</td><td>${cents(t.exit_value)}</td><td>${t.finished_ts==null?'—':when(t.finished_ts)}</td><td>${usd(num(t.entry_fees)+num(t.close_fees))}</td><td class="${num(t.pnl)>=0?'up':'down'}">${usd(t.pnl)}</td><td>${t.close_method||''}</td><td>${t.result==='win'?'W':t.result==='loss'?'L':t.result==='draw'?'D':''}</td></tr>`)}`)}
    on(m=>{if(m.topic==='trade.update'&&!m.replay){clearTimeout(pending);pending=setTimeout(load,500)}});
    function render(){const st=val('trade.stats.summary');if(st&&st.overall){const o=st.overall;$('#overall').textContent='All time: '+o.trades+' trades, win rate '+(o.win_rate==null?'—':(Number(o.win_rate)*100).toFixed(1)+'%')+', PnL '+usd(o.pnl)+', fees '+usd(o.fees)}}
    load();
    """#
}
