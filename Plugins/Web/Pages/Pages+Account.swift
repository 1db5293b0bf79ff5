extension Pages {
    /// The account page's layout.
    static let accountBody = #"""
    <div class="card"><h2>Account</h2><div id="mode-big" class="big">—</div>
      <div class="kv"><span class="muted">Balance</span><span id="balance" class="big">—</span>
      <span class="muted">Portfolio value</span><span id="portfolio">—</span><span class="muted">As of</span><span id="bal-time">—</span>
      <span class="muted">Reconciliation</span><span id="recon">—</span></div></div>
    <div class="card"><h2>Positions</h2><table id="positions"><thead><tr><th>Ticker</th><th>Position</th><th>Avg price</th><th>Exposure</th><th>Realized</th><th>Fees</th></tr></thead><tbody></tbody></table></div>
    <div class="card"><h2>Fills</h2><table id="fills"><thead><tr><th>Time</th><th>Ticker</th><th>Side</th><th>Action</th><th>Count</th><th>Price</th><th>Fee</th></tr></thead><tbody></tbody></table>
      <button id="fills-more" class="more" hidden>Load more</button></div>
    <div class="card"><h2>Settlements</h2><table id="settlements"><thead><tr><th>Settled</th><th>Ticker</th><th>Result</th><th>YES</th><th>NO</th><th>Revenue</th><th>Fee</th></tr></thead><tbody></tbody></table>
      <button id="settlements-more" class="more" hidden>Load more</button></div>
    """#

    /// The account page's behaviour.
    static let accountScript = #"""
    const when=s=>s?new Date(s*1000).toLocaleString():'—';
    // Fills and settlements come from account-sync's store a page at a time (newest first, "Load more"); those pushed
    // since are merged in on top, each row once.
    const pages={fills:{rows:[],cursor:null,done:false,busy:false},settlements:{rows:[],cursor:null,done:false,busy:false}};
    async function more(kind){const p=pages[kind];if(p.busy||p.done)return;p.busy=true;
      try{const j=await api('/api/account/'+kind+'?limit=100'+(p.cursor?'&cursor='+encodeURIComponent(p.cursor):''));p.rows.push(...(j&&j[kind]||[]));p.cursor=j&&j.next_cursor||null;p.done=!p.cursor}
      catch(e){toast(kind+': '+e.message,true)}finally{p.busy=false;changed()}}
    for(const kind of ['fills','settlements']){$('#'+kind+'-more').onclick=()=>more(kind);more(kind)}
    function merged(live,kind,key,time){const seen=new Set(),out=[];for(const x of [...live,...pages[kind].rows]){const k=key(x);if(!seen.has(k)){seen.add(k);out.push(x)}}
      $('#'+kind+'-more').hidden=pages[kind].done;return out.sort((a,b)=>b[time]-a[time])}
    function render(){
      $('#mode-big').textContent=R.mode==='prod'?'PROD — LIVE TRADING, REAL MONEY':(R.mode||'').toUpperCase()+' — not real money';
      $('#mode-big').className='big '+(R.mode==='prod'?'down':'');
      const b=val('account.balance');if(b){$('#balance').textContent=usd(b.balance);$('#portfolio').textContent=usd(b.portfolio_value);$('#bal-time').textContent=b.time}
      const rc=val('account.reconciliation');if(rc){setHTML($('#recon'),html`<span class="${rc.status==='passed'?'up':rc.status==='failed'?'down':''}">${rc.status}</span> ${rc.checked_time}${rc.mismatches&&rc.mismatches.length?' — '+rc.mismatches.map(m=>m.ticker+' trades '+m.trades+' venue '+m.venue).join('; '):''}`)}
      const p=val('account.positions');setHTML($('#positions tbody'),html`${(p&&p.positions||[]).map(x=>{const n=Math.abs(num(x.position));return html`<tr><td>${x.ticker}</td><td>${x.position}</td><td>${x.market_exposure!=null&&n?cents(num(x.market_exposure)/n):'—'}</td><td>${usd(x.market_exposure)}</td><td>${usd(x.realized_pnl)}</td><td>${usd(x.fees_paid)}</td></tr>`})}`);
      const ev=k=>R.events.filter(m=>m.topic===k).map(m=>m.data).reverse();
      setHTML($('#fills tbody'),html`${merged(ev('venue.fill'),'fills',f=>f.order_id+' '+f.fill_id,'ts').map(f=>html`<tr><td>${when(f.ts)}</td><td>${f.ticker}</td><td>${String(f.side||'').toUpperCase()}</td><td>${f.action}</td><td>${f.count}</td><td>${cents(f.price)}</td><td>${usd(f.fee)}</td></tr>`)}`);
      setHTML($('#settlements tbody'),html`${merged(ev('venue.settlement'),'settlements',x=>x.ticker+' '+x.settled_ts,'settled_ts').map(s=>html`<tr><td>${when(s.settled_ts)}</td><td>${s.ticker}</td><td>${s.result}</td><td>${s.yes_count}</td><td>${s.no_count}</td><td>${usd(s.revenue)}</td><td>${usd(s.fee)}</td></tr>`)}`)}
    """#
}
