extension Pages {
    /// The history page's layout.
    static let historyBody = #"""
    <div class="card"><h2>Filters</h2><div class="row">
      <label>From <input id="f-from" type="date"></label><label>To <input id="f-to" type="date"></label>
      <label>Result <select id="f-result"><option value="">all</option><option value="win">win</option><option value="loss">loss</option><option value="draw">draw</option></select></label>
      <label>Status <select id="f-status"><option value="">all</option><option>closed</option><option>settled</option><option>open</option><option>expired</option><option>rejected</option><option>error</option></select></label>
      <label>Strategy <input id="f-strategy" placeholder="any" style="width:120px"></label>
      <button id="f-today">Today</button><button id="f-week">7 days</button><button id="f-all">All</button><button id="f-load" class="ok">Load</button></div></div>
    <div class="card"><h2>Totals</h2><div id="totals" class="row">—</div><div id="overall" class="muted"></div></div>
    <div class="grid3" style="grid-template-columns:1fr 1fr">
      <div class="card"><h2>Equity curve</h2><svg id="equity" viewBox="0 0 300 120" preserveAspectRatio="none"></svg><div id="eq-range" class="muted"></div></div>
      <div class="card"><h2>PnL by hour of day (ET)</h2><svg id="by-hour" viewBox="0 0 240 120" preserveAspectRatio="none"></svg></div></div>
    <div class="card"><h2>Trades <span id="truncated" class="muted"></span></h2>
      <table id="trades"><thead><tr><th>Entered</th><th>Status</th><th>Strategy</th><th>Ticker</th><th>Side</th><th>Count</th><th>P(win)</th><th>Buy</th><th>Exit</th><th>Fees</th><th>PnL</th><th>Close</th><th>W/L</th></tr></thead><tbody></tbody></table></div>
    """#

    /// The history page's behaviour: asks `/api/trades` and reloads when a trade changes (a push, not a poll).
    static let historyScript = #"""
    const day=d=>d.toISOString().slice(0,10);
    $('#f-today').onclick=()=>{$('#f-from').value=day(new Date());$('#f-to').value=day(new Date());load()};
    $('#f-week').onclick=()=>{$('#f-from').value=day(new Date(Date.now()-6*864e5));$('#f-to').value=day(new Date());load()};
    $('#f-all').onclick=()=>{$('#f-from').value='';$('#f-to').value='';load()};$('#f-load').onclick=()=>load();
    let last=null,pending=null;
    async function load(){const q=new URLSearchParams();for(const [k,id] of [['from','#f-from'],['to','#f-to'],['result','#f-result'],['status','#f-status'],['strategy','#f-strategy']]){const v=$(id).value;if(v)q.set(k,v)}
      try{last=await api('/api/trades?'+q.toString());draw()}catch(e){$('#totals').textContent='history unavailable: '+e.message}}
    function draw(){if(!last)return;const s=last.summary;
      $('#totals').innerHTML=[['Trades',s.trades],['Wins',s.wins],['Losses',s.losses],['Win rate',s.win_rate==null?'—':s.win_rate+'%'],['PnL','<span class="'+(num(s.pnl)>=0?'up':'down')+'">'+usd(s.pnl)+'</span>'],['Fees',usd(s.fees)]].map(p=>'<div class="card"><div class="muted">'+p[0]+'</div><div class="big" style="font-size:20px">'+p[1]+'</div></div>').join('');
      $('#truncated').textContent=last.truncated?'(more matched than shown)':'';
      const eq=s.equity||[];if(eq.length){const v=eq.map(p=>num(p.equity)),lo=Math.min(0,...v),hi=Math.max(0,...v),sp=hi-lo||1;
        const pts=v.map((y,i)=>(i/(v.length-1||1)*300).toFixed(1)+','+(115-(y-lo)/sp*110).toFixed(1)).join(' ');const zero=(115-(0-lo)/sp*110).toFixed(1);
        $('#equity').innerHTML='<line x1="0" x2="300" y1="'+zero+'" y2="'+zero+'" stroke="#3a4654"/><polyline fill="none" stroke="#5fd38d" stroke-width="1.5" points="'+pts+'"/>';$('#eq-range').textContent=usd(lo)+' – '+usd(hi)}else{$('#equity').innerHTML='';$('#eq-range').textContent='no finished trades'}
      const hrs=[...Array(24).keys()].map(h=>num((s.pnl_by_hour||{})[String(h)])||0),mx=Math.max(...hrs.map(Math.abs))||1;
      $('#by-hour').innerHTML='<line x1="0" x2="240" y1="60" y2="60" stroke="#3a4654"/>'+hrs.map((v,h)=>{const hgt=Math.abs(v)/mx*55;return '<rect x="'+(h*10+1)+'" width="8" y="'+(v>=0?60-hgt:60)+'" height="'+Math.max(hgt,.5)+'" fill="'+(v>=0?'#5fd38d':'#ff6b6b')+'"><title>'+h+':00 '+usd(v)+'</title></rect>'}).join('');
      $('#trades tbody').innerHTML=last.trades.map(t=>'<tr><td>'+new Date(t.entered_ts*1000).toLocaleString()+'</td><td>'+t.status+'</td><td>'+esc(t.strategy)+'</td><td>'+esc(t.ticker)+'</td><td>'+t.side.toUpperCase()+'</td><td>'+t.count+'</td><td>'+pct(t.probability)+'</td><td>'+cents(t.entry_price)+'</td><td>'+cents(t.exit_value)+'</td><td>'+usd(num(t.entry_fees)+num(t.close_fees))+'</td><td class="'+(num(t.pnl)>=0?'up':'down')+'">'+usd(t.pnl)+'</td><td>'+esc(t.close_method||'')+'</td><td>'+(t.result==='win'?'W':t.result==='loss'?'L':t.result==='draw'?'D':'')+'</td></tr>').join('')}
    on(m=>{if(m.topic==='trade.update'&&!m.replay){clearTimeout(pending);pending=setTimeout(load,500)}});
    function render(){const st=val('trade.stats.summary');if(st&&st.overall){const o=st.overall;$('#overall').textContent='All time: '+o.trades+' trades, win rate '+(o.win_rate==null?'—':(Number(o.win_rate)*100).toFixed(1)+'%')+', PnL '+usd(o.pnl)+', fees '+usd(o.fees)}}
    load();
    """#
}
