extension Pages {
    /// The system page's layout.
    static let systemBody = #"""
    <div class="card"><h2>Trading</h2><div class="row"><span id="sys-trading" class="badge">—</span>
      <button id="halt" class="danger">Halt</button><button id="halt-hard" class="danger">Hard halt</button><button id="resume" class="ok">Resume (lift your halt)</button>
      <button id="expire">Run expiry now</button></div><div id="holds" class="muted"></div></div>
    <div class="card"><h2>Plugins</h2><table id="plugins"><thead><tr><th>Plugin</th><th>Host</th><th>State</th><th>Uptime</th><th>Restarts</th><th>Memory</th><th>Data age</th><th>Heartbeat</th><th>Note</th></tr></thead><tbody></tbody></table></div>
    <div class="card"><h2>Broker</h2><div id="broker" class="kv"></div></div>
    <div class="card"><h2>Audit log <span class="muted small">every buy, close, halt, resume, expiry and settings change</span></h2>
      <table id="audit"><thead><tr><th>Time</th><th>Client</th><th>Action</th><th>Detail</th><th>Outcome</th></tr></thead><tbody></tbody></table></div>
    <div class="card"><h2>Alerts</h2><table id="alerts"><thead><tr><th>Time</th><th>Source</th><th>Severity</th><th>Message</th></tr></thead><tbody></tbody></table></div>
    <div class="card"><h2>Topic tap</h2><div class="row"><input id="tap-prefix" placeholder="prefix, e.g. price. or order." value="sys.heartbeat.">
      <button id="tap-start" class="ok">Tap</button><button id="tap-stop">Stop</button><span id="tap-count" class="muted"></span></div><div id="tap" class="tap"></div></div>
    """#

    /// The system page's behaviour.
    static let systemScript = #"""
    $('#halt').onclick=()=>cmd('/api/halt',{reason:'halted from the dashboard'},'Halt');
    $('#halt-hard').onclick=()=>{if(confirm('Hard halt also stops closes. Continue?'))cmd('/api/halt',{reason:'hard halt from the dashboard',hard:true},'Hard halt')};
    $('#resume').onclick=()=>cmd('/api/resume',{},'Resume');$('#expire').onclick=()=>cmd('/api/expire-now',{},'Expiry');
    let tapLines=[],tapN=0,prevBroker=null,rates='';
    $('#tap-start').onclick=()=>{tapLines=[];tapN=0;R.ws&&R.ws.send(JSON.stringify({tap:$('#tap-prefix').value}))};
    $('#tap-stop').onclick=()=>R.ws&&R.ws.send(JSON.stringify({tap:null}));
    on(m=>{if(m.k==='t'){tapN++;tapLines.unshift(m.ts+' '+m.topic+' '+m.src+' '+JSON.stringify(m.data));if(tapLines.length>200)tapLines.pop()}
      if(m.k==='tap-skipped'){tapLines.unshift('… '+m.count+' messages skipped (rate limit)')}
      if(m.topic==='sys.broker.stats'){const b=m.data;if(prevBroker&&b.uptime>prevBroker.uptime){const dt=b.uptime-prevBroker.uptime;rates=((b.messagesIn-prevBroker.messagesIn)/dt).toFixed(1)+' in/s · '+((b.messagesOut-prevBroker.messagesOut)/dt).toFixed(1)+' out/s'}prevBroker=b}});
    const mb=b=>b==null?'—':(b/1048576).toFixed(1)+' MB';
    let audit=[];api('/api/audit').then(j=>{const pushed=new Set(audit.map(a=>JSON.stringify(a)));audit=audit.concat((j&&j.entries||[]).filter(a=>!pushed.has(JSON.stringify(a))));changed()}).catch(e=>toast('audit log: '+e.message,true));
    on(m=>{if(m.k==='a'){audit.unshift(m.entry);if(audit.length>200)audit.pop()}});
    function render(){
      const t=val('sys.control.state.trading'),b=$('#sys-trading');if(t){b.textContent=t.mode+(t.hard?' (hard)':'');b.className='badge '+t.mode;$('#holds').replaceChildren(...((t.holds||[]).length?t.holds.map(h=>{const d=document.createElement('div');d.textContent=h.holder+': '+h.mode+(h.hard?' hard':'')+' — '+h.reason+' since '+h.since;return d}):['no holds']))}
      const restarts={};for(const l of prefixed('sys.launcher.'))for(const p of (l.data.plugins||[]))restarts[p.name]=p.restarts;
      const now=Date.now()/1000;
      setHTML($('#plugins tbody'),html`${prefixed('sys.heartbeat.').map(m=>{const h=m.data,age=now-m.at,ages=Object.entries(h.dataAges||{}).map(([k,v])=>k+' '+(v==null?'never':Number(v).toFixed(1)+'s')).join(', ');
        const st=age>5?'stale':h.state;return html`<tr><td>${h.plugin}</td><td>${h.host}</td><td class="${st==='running'?'up':st==='degraded'?'':'down'}">${st}</td><td>${dur(h.uptime)}</td><td>${restarts[h.plugin]??'—'}</td><td>${mb(h.rss)}</td><td>${ages}</td><td>${age.toFixed(1)}s ago</td><td>${h.note||''}</td></tr>`})}`);
      const br=val('sys.broker.stats');if(br)setHTML($('#broker'),html`${[['rates',rates||'—'],['messages in / out',br.messagesIn+' / '+br.messagesOut],['subscribers / publishers',br.subscribers+' / '+br.publishers],['dropped',br.dropped],['replayed',br.replayed],['topics / last values',br.topicCount+' / '+br.lastValues],['uptime',dur(br.uptime)],['busiest',(br.topics||[]).slice(0,5).map(t=>t.topic+' '+t.messages).join(', ')]].map(p=>html`<span class="muted">${p[0]}</span><span>${p[1]}</span>`)}`);
      setHTML($('#alerts tbody'),html`${R.events.filter(m=>m.topic.startsWith('sys.alert.')).reverse().map(m=>html`<tr><td>${m.ts}</td><td>${m.data.source}</td><td class="${m.data.severity==='critical'?'down':''}">${m.data.severity}</td><td class="wrap">${m.data.message}</td></tr>`)}`);
      setHTML($('#audit tbody'),html`${audit.map(a=>html`<tr><td>${a.time}</td><td>${a.client}</td><td>${a.action}</td><td class="wrap">${a.detail}</td><td class="wrap">${a.outcome}</td></tr>`)}`);
      $('#tap-count').textContent=tapN?tapN+' messages':'';$('#tap').textContent=tapLines.join('\n')}
    """#
}
