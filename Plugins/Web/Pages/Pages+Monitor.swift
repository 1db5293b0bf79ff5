extension Pages {
    /// The trade monitor's layout.
    static let monitorBody = #"""
    <div class="grid3">
    <section>
      <div class="card"><h2>BTC</h2><div id="price" class="big">—</div><div id="change" class="muted">—</div>
        <svg id="chart" viewBox="0 0 300 120" preserveAspectRatio="none"></svg><div id="chart-range" class="muted"></div></div>
      <div class="card"><h2>Momentum</h2><div id="momentum" class="big">—</div><div id="mom-bars" class="bars"></div><div id="mom-deltas" class="muted"></div></div>
    </section>
    <section class="card">
      <h2><span id="event">no strike table yet</span></h2>
      <div class="row"><span class="muted">closes in</span><span id="ttc" class="ttc">—</span><span id="model" class="muted"></span>
        <span class="grow"></span><button id="diff" class="switch">+/−</button></div>
      <table id="strikes"><thead><tr><th>Strike</th><th>Dist</th><th>Sp</th><th>P(win)</th><th>YES</th><th>NO</th><th>Edge</th><th>Vol</th></tr></thead><tbody></tbody></table>
    </section>
    <section>
      <div class="card"><h2>Watchlist <button id="ae-switch" class="switch">AUTO ENTRY</button><button id="ae-gear">⚙</button></h2>
        <div id="ae-settings" class="settings"></div>
        <div class="row"><label>Size <input id="size" type="number" min="1" step="1" value="1" class="w64"></label>
          <button class="mult" data-m="1">1x</button><button class="mult" data-m="2">2x</button><button class="mult" data-m="3">3x</button>
          <span id="mult-label" class="muted"></span></div>
        <table id="watchlist"><thead><tr><th>Strike</th><th>Dist</th><th>P(win)</th><th>Side</th><th>Buy</th></tr></thead><tbody></tbody></table></div>
      <div class="card"><h2>Open trades <button id="as-switch" class="switch">AUTO STOP</button><button id="as-gear">⚙</button></h2>
        <div id="as-settings" class="settings"></div>
        <table id="open-trades"><thead><tr><th>Strike</th><th>Side</th><th>Entry</th><th>Pos</th><th>P(win)</th><th>PnL</th><th></th></tr></thead><tbody></tbody></table>
        <div id="no-trades" class="muted">no open trades</div></div>
    </section></div>
    """#

    /// The trade monitor's behaviour.
    static let monitorScript = #"""
    // Size, multiplier and +/− are the user's preferences on the server, shared by every device and pushed on change.
    let diffMode=false,mult=1;
    function savePrefs(){api('/api/preferences',{size:Math.max(1,Math.floor(Number($('#size').value)||1)),mult,diff:diffMode}).catch(e=>toast('preferences: '+e.message,true))}
    on(m=>{if(m.k==='p'){const p=m.prefs||{};mult=Number(p.mult)||1;diffMode=!!p.diff;if(document.activeElement!==$('#size'))$('#size').value=p.size||1}});
    $('#size').onchange=savePrefs;
    document.querySelectorAll('.mult').forEach(b=>b.onclick=()=>{mult=Number(b.dataset.m);changed();savePrefs()});
    $('#diff').onclick=()=>{diffMode=!diffMode;changed();savePrefs()};
    function count(){return String(Math.max(1,Math.floor(Number($('#size').value)||1))*mult)}
    // A button stays disabled while its request is in flight (the server refuses a second close of a trade too).
    const buying=new Set(),closing=new Set();
    // In prod, a buy that may cost more than confirm_above (count × cap, the cap being the ask plus entry_slippage, at
    // most 99¢, as the server computes it) asks first; the server refuses it unconfirmed too.
    function askConfirm(ticker,side,n){const t=current(),r=t&&(t.rows||[]).find(x=>x.ticker===ticker),a=r&&num(side==='yes'?r.yes_ask:r.no_ask),
        cost=Math.min((a||0)+Number(document.body.dataset.entrySlippage||0),0.99)*Number(n);
      if(String(R.mode).toLowerCase()!=='prod'||!(cost>Number(document.body.dataset.confirmAbove||25)))return false;
      return confirm('REAL MONEY: buy '+n+' '+side.toUpperCase()+' × '+ticker+' for about '+usd(cost)+'?')?true:null}
    async function buy(b,ticker,side){const k=ticker+' '+side;if(buying.has(k))return;const n=count(),ok=askConfirm(ticker,side,n);if(ok===null)return;buying.add(k);b.disabled=true;
      try{await cmd('/api/buy',{ticker,side,count:n,confirmed:ok},'Buy '+side.toUpperCase()+' '+ticker)}finally{buying.delete(k);changed()}}
    async function closeTrade(b,id){if(closing.has(id))return;closing.add(id);b.disabled=true;
      try{await cmd('/api/close',{trade_id:id},'Close '+id)}finally{closing.delete(id);changed()}}
    document.addEventListener('click',e=>{const b=e.target.closest('button.buy');if(b&&!b.disabled)buy(b,b.dataset.ticker,b.dataset.side);
      const c=e.target.closest('button.close');if(c&&!c.disabled)closeTrade(c,c.dataset.trade)});
    function settingsPanel(plugin,switchKey,sw,gear,box){
      $(sw).onclick=()=>{const s=val('settings.'+plugin);const on=s&&s.values&&s.values[switchKey]==='true';cmd('/api/settings/'+plugin,{values:{[switchKey]:on?'false':'true'}},plugin+' '+switchKey)};
      $(gear).onclick=()=>{$(box).classList.toggle('open');drawSettings(plugin,box)};
    }
    // Settings: a toggle for true/false, a number stepper (step from the value's decimals, 0 at least when the value
    // is not negative) for numbers, text otherwise. Edits are kept (and marked) while new values arrive, until saved.
    const edits={};
    // Each label says where its value comes from (bus.conf, runtime or default), as the plugin publishes it.
    function control(plugin,k,v){const e=(edits[plugin]||{})[k],cur=e??v,src=((val('settings.'+plugin)||{}).sources||{})[k],from=src?' ('+src+')':'';
      if(v==='true'||v==='false')return html`<label>${k}<span class="muted">${from}</span></label><button class="switch toggle" data-key="${k}" data-value="${cur}">${cur==='true'?'on':'off'}</button>`;
      if(/^-?\d+(\.\d+)?$/.test(v)){const dec=(v.split('.')[1]||'').length,step=dec?'0.'+'0'.repeat(dec-1)+'1':'1';
        return Number(v)<0?html`<label>${k}<span class="muted">${from}</span></label><input type="number" step="${step}" data-key="${k}" value="${cur}">`
          :html`<label>${k}<span class="muted">${from}</span></label><input type="number" min="0" step="${step}" data-key="${k}" value="${cur}">`}
      return html`<label>${k}<span class="muted">${from}</span></label><input data-key="${k}" value="${cur}">`}
    function edit(plugin,k,v){(edits[plugin]=edits[plugin]||{})[k]=v}
    function drawSettings(plugin,box){const s=val('settings.'+plugin),el=$(box);if(!el.classList.contains('open'))return;
      if(!s){el.dataset.sig='';setHTML(el,html`<span class="muted">${plugin} has published no settings</span>`);return}
      const keys=Object.keys(s.values).sort(),sig=keys.join(',');
      if(el.dataset.sig!==sig){el.dataset.sig=sig;setHTML(el,html`${keys.map(k=>control(plugin,k,s.values[k]))}<button class="save">Save</button>`);
        el.querySelectorAll('input[data-key]').forEach(i=>i.oninput=()=>{edit(plugin,i.dataset.key,i.value);drawSettings(plugin,box)});
        el.querySelectorAll('button[data-key]').forEach(b=>b.onclick=()=>{edit(plugin,b.dataset.key,b.dataset.value==='true'?'false':'true');drawSettings(plugin,box)});
        el.querySelector('.save').onclick=()=>{const now=val('settings.'+plugin),v={};
          for(const [k,x] of Object.entries(edits[plugin]||{}))if(!now||x!==now.values[k])v[k]=x;
          edits[plugin]={};if(Object.keys(v).length)cmd('/api/settings/'+plugin,{values:v},plugin+' settings');el.classList.remove('open')}}
      for(const c of el.querySelectorAll('[data-key]')){const k=c.dataset.key,e=(edits[plugin]||{})[k],v=e??s.values[k];
        c.classList.toggle('edited',e!=null&&e!==s.values[k]);
        if(c.tagName==='BUTTON'){c.dataset.value=v;c.textContent=v==='true'?'on':'off';c.classList.toggle('on',v==='true')}
        else if(document.activeElement!==c&&c.value!==v)c.value=v}}
    settingsPanel('auto-entry','auto_entry','#ae-switch','#ae-gear','#ae-settings');
    settingsPanel('trade-supervisor','auto_stop','#as-switch','#as-gear','#as-settings');
    function current(){const ts=prefixed('model.strikes.').map(m=>m.data).sort((a,b)=>a.close_ts-b.close_ts);return ts.find(t=>t.ttc_seconds>0)||ts[ts.length-1]}
    function riskClass(p){p*=100;return p>=98?'ultra':p>=95?'safe':p>=80?'caution':'risk'}
    // Buy is disabled while the table behind its row is stale: its message time (the model publishes it whenever a book
    // or the price moves) older than stale_after seconds by the server's clock (the hello frame's time, so a phone's
    // wrong clock does not matter). Checked every second, so buying turns off when messages stop.
    let stale=false;
    function tableAge(t){const m=prefixed('model.strikes.').find(x=>x.data===t);if(!m)return Infinity;const now=Date.now()+R.skew;
      return (now-(Date.parse(m.ts)||0))/1000}
    function isStale(t){return !t||!(tableAge(t)<=Number(document.body.dataset.staleAfter||5))}
    function enabled(r,side){const a=num(side==='yes'?r.yes_ask:r.no_ask);return !stale&&side===r.active_side&&!buying.has(r.ticker+' '+side)&&a!=null&&a<=0.98&&num(r.volume)>=Number(document.body.dataset.minBuyVolume||1000)}
    function btn(r,side){const a=side==='yes'?r.yes_ask:r.no_ask,e=side==='yes'?r.edge_yes:r.edge_no,on=enabled(r,side);
      return on?html`<button class="buy${side===r.active_side?' act':''}" data-ticker="${r.ticker}" data-side="${side}">${diffMode?scents(e):cents(a)}</button>`
        :html`<button class="buy${side===r.active_side?' act':''}" data-ticker="${r.ticker}" data-side="${side}" disabled>${diffMode?scents(e):cents(a)}</button>`}
    function arrows(m){const a=Math.abs(m||0),n=a<5?0:a<10?1:a<20?2:3;return n?(m>0?'▲':'▼').repeat(n):'—'}
    function openTickers(){const o=val('trade.state.open');return new Set((o&&o.trades||[]).map(t=>t.ticker))}
    function drawStrikes(t){
      const tb=$('#strikes tbody');stale=isStale(t);if(!t){tb.replaceChildren();return}
      $('#event').textContent=t.event_ticker;$('#model').textContent=t.model+' · '+(t.rows||[]).length+' strikes'+(stale?' · STALE '+dur(tableAge(t))+', buying off':'');
      const held=openTickers(),w=val('model.watchlist.'+t.event_ticker),watched=new Set((w&&w.rows||[]).map(r=>r.ticker)),price=num(t.btc_price),rows=[];let spanner=false;
      for(const r of t.rows||[]){
        if(!spanner&&num(r.strike)>price){rows.push(html`<tr class="spanner" data-key="spanner"><td colspan="8">${usd(price)} ${arrows(t.momentum)} ${t.momentum??''}</td></tr>`);spanner=true}
        rows.push(html`<tr class="${riskClass(r.win_probability)}${held.has(r.ticker)?' has-trade':''}${watched.has(r.ticker)?' watched':''}" data-key="${r.ticker}"><td>${usd(r.strike,0)}</td><td>${usd(r.distance,0)}</td><td>${r.distance_spacings||''}</td><td>${pct(r.win_probability)}</td><td>${btn(r,'yes')}</td><td>${btn(r,'no')}</td><td>${scents(r.active_side==='yes'?r.edge_yes:r.edge_no)}</td><td>${r.volume==null?'—':Math.round(num(r.volume))}</td></tr>`)}
      if(!spanner)rows.push(html`<tr class="spanner" data-key="spanner"><td colspan="8">${usd(price)} ${arrows(t.momentum)}</td></tr>`);
      morph(tb,html`${rows}`);$('#diff').classList.toggle('on',diffMode)}
    function drawWatchlist(t){const tb=$('#watchlist tbody');const w=t&&val('model.watchlist.'+t.event_ticker);
      morph(tb,html`${(w&&w.rows||[]).map(r=>html`<tr data-key="${r.ticker}" class="${riskClass(r.win_probability)}"><td>${usd(r.strike,0)}</td><td>${usd(r.distance,0)}</td><td>${pct(r.win_probability)}</td><td>${String(r.active_side||'').toUpperCase()}</td><td>${btn(r,r.active_side)}</td></tr>`)}`);
      document.querySelectorAll('.mult').forEach(b=>b.classList.toggle('on',Number(b.dataset.m)===mult));$('#mult-label').textContent='= '+count()+' contracts'}
    function drawSwitches(){for(const [p,k,s] of [['auto-entry','auto_entry','#ae-switch'],['trade-supervisor','auto_stop','#as-switch']]){const v=val('settings.'+p);$(s).classList.toggle('on',!!(v&&v.values&&v.values[k]==='true'))}}
    function drawTrades(){const o=val('trade.state.open'),sup=val('trade.state.supervised'),tb=$('#open-trades tbody');
      const live={};for(const s of (sup&&sup.trades||[]))live[s.trade_id||s.id]=s;const list=o&&o.trades||[];
      $('#no-trades').style.display=list.length?'none':'';
      morph(tb,html`${list.map(t=>{const s=live[t.id]||{},pnl=s.pnl,can=t.status==='open'&&!closing.has(t.id);
        return html`<tr class="trade-row" id="trade-${t.id}" data-key="${t.id}"><td>${usd(t.strike,0)}</td><td>${String(t.side||'').toUpperCase()}</td><td>${cents(t.entry_price)}</td><td>${t.count}${t.status==='open'?'':html` <span class="muted">${t.status}</span>`}</td><td>${pct(s.win_probability)}</td><td class="${num(pnl)>=0?'up':'down'}">${usd(pnl)}</td><td>${can?html`<button class="close danger" data-trade="${t.id}">Close</button>`:html`<button class="close danger" data-trade="${t.id}" disabled>${closing.has(t.id)?'Closing…':'Close'}</button>`}</td></tr>`})}`)}
    function drawPrice(){const tk=val('price.btc.tick'),m=val('price.btc.momentum');if(tk)$('#price').textContent=usd(tk.price);
      const ps=R.prices;if(ps.length>1){const first=ps[0][1],last=ps[ps.length-1][1],d=last-first;setHTML($('#change'),html`<span class="${d>=0?'up':'down'}">${d>=0?'+':''}${d.toFixed(2)} (${(d/first*100).toFixed(3)}%)</span> over ${dur(ps[ps.length-1][0]-ps[0][0])}`);
        const lo=Math.min(...ps.map(p=>p[1])),hi=Math.max(...ps.map(p=>p[1])),t0=ps[0][0],t1=ps[ps.length-1][0]||t0+1,span=hi-lo||1;
        const pts=ps.map(p=>((p[0]-t0)/(t1-t0||1)*300).toFixed(1)+','+(115-(p[1]-lo)/span*110).toFixed(1)).join(' ');
        setHTML($('#chart'),html`<polyline fill="none" stroke="#7fd1ff" stroke-width="1.5" points="${pts}"/>`);$('#chart-range').textContent=usd(lo)+' – '+usd(hi)}
      if(m){$('#momentum').textContent=m.score_x100==null?'—':m.score_x100;const keys=['1m','2m','3m','4m','15m','30m'],ds=keys.map(k=>num(m.deltas&&m.deltas[k]));const mx=Math.max(...ds.map(v=>Math.abs(v||0)))||1;
        $('#mom-bars').replaceChildren(...ds.map(v=>{const d=document.createElement('div');if(v<0)d.className='neg';d.style.height=Math.round(Math.abs(v||0)/mx*100)+'%';return d}));
        $('#mom-deltas').textContent=keys.map((k,i)=>k+' '+(ds[i]==null?'—':ds[i].toFixed(3)+'%')).join(' · ')}}
    function drawTTC(){const m=prefixed('model.strikes.').find(x=>x.data===current());$('#ttc').textContent=m?dur(m.data.ttc_seconds-(Date.now()/1000-m.at)):'—'}
    setInterval(()=>{drawTTC();if(isStale(current())!==stale)changed()},1000);
    function render(){const t=current();drawPrice();drawStrikes(t);drawWatchlist(t);drawTrades();drawSwitches();drawTTC()}
    on(m=>{if(m.topic==='settings.auto-entry')drawSettings('auto-entry','#ae-settings');if(m.topic==='settings.trade-supervisor')drawSettings('trade-supervisor','#as-settings')});
    """#
}
