extension Pages {
    /// Shared by every page: the one WebSocket (reconnecting), the latest values by topic, formatting, commands with
    /// the CSRF token, toasts, and the sound and notification for automated entries and closes. Markup is made only by
    /// the `html` template tag, which escapes every value put into it; `setHTML` and `morph` accept nothing else, so
    /// no text from the bus reaches `innerHTML` unescaped.
    static let commonScript = #"""
    const R={state:{},csrf:null,mode:null,prices:[],events:[],listeners:[],dirty:false,skew:0};
    const $=s=>document.querySelector(s);
    const esc=s=>String(s==null?'':s).replace(/[&<>"']/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;',"'":'&#39;'}[c]));
    class Safe{constructor(s){this.s=s}}
    const piece=v=>v instanceof Safe?v.s:Array.isArray(v)?v.map(piece).join(''):esc(v);
    const html=(parts,...vals)=>new Safe(parts.reduce((a,p,i)=>a+piece(vals[i-1])+p));
    function setHTML(el,safe){if(!(safe instanceof Safe))throw new Error('setHTML takes html`…` only');el.innerHTML=safe.s}
    const num=v=>v==null||v===''?null:Number(v);
    const usd=(v,d=2)=>v==null?'—':(Number(v)<0?'-$':'$')+Math.abs(Number(v)).toFixed(d).replace(/\B(?=(\d{3})+(?!\d))/g,',');
    const cents=v=>v==null?'—':Math.round(Number(v)*100)+'¢';
    const scents=v=>v==null?'—':(Number(v)>=0?'+':'')+(Number(v)*100).toFixed(1)+'¢';
    const pct=v=>v==null?'—':(Number(v)*100).toFixed(1)+'%';
    const dur=s=>{s=Math.max(0,Math.floor(s));const h=Math.floor(s/3600),m=Math.floor(s%3600/60),x=s%60;return (h?h+':':'')+String(m).padStart(h?2:1,'0')+':'+String(x).padStart(2,'0')};
    const val=t=>R.state[t]?R.state[t].data:null;
    const prefixed=p=>Object.keys(R.state).filter(k=>k.startsWith(p)).sort().map(k=>R.state[k]);
    function changed(){if(!R.dirty){R.dirty=true;setTimeout(()=>{R.dirty=false;try{render()}catch(e){console.error(e)}},30)}}
    function on(f){R.listeners.push(f)}
    function sameShape(a,b){return a.tagName===b.tagName&&a.children.length===b.children.length}
    function morphNode(o,n){
      if(o.nodeType!==1||n.nodeType!==1||!sameShape(o,n)||(o.tagName==='BUTTON'&&(o.dataset.ticker!==n.dataset.ticker||o.dataset.trade!==n.dataset.trade))){if(!o.isEqualNode(n))o.replaceWith(n);return}
      for(const a of [...o.attributes])if(!n.hasAttribute(a.name))o.removeAttribute(a.name);
      for(const a of [...n.attributes])if(o.getAttribute(a.name)!==a.value)o.setAttribute(a.name,a.value);
      if(o.tagName==='BUTTON')o.disabled=n.disabled;
      if(!n.querySelector('button')){if(!o.isEqualNode(n))o.replaceChildren(...n.childNodes);return}
      for(let i=0;i<n.children.length;i++)morphNode(o.children[i],n.children[i].cloneNode(true))}
    // Updates rows in place (same buttons stay under the pointer), so a click is never lost to a redraw.
    function morph(tbody,rows){const t=document.createElement('tbody');setHTML(t,rows);const o=[...tbody.children],n=[...t.children];
      for(let i=0;i<n.length;i++){if(i<o.length&&o[i].dataset.key===n[i].dataset.key)morphNode(o[i],n[i]);else if(i<o.length)o[i].replaceWith(n[i]);else tbody.appendChild(n[i])}
      for(let i=n.length;i<o.length;i++)o[i].remove()}
    function toast(text,err){const d=document.createElement('div');d.className='toast'+(err?' err':'');d.textContent=text;$('#toasts').appendChild(d);setTimeout(()=>d.remove(),6000);
      const log=window.__toasts=window.__toasts||[];log.push(text);if(log.length>50)log.shift()}
    let audio=null,muted=localStorage.getItem('muted')==='1';
    function beep(freq){if(muted)return;try{audio=audio||new (window.AudioContext||window.webkitAudioContext)();const o=audio.createOscillator(),g=audio.createGain();o.frequency.value=freq;o.connect(g);g.connect(audio.destination);g.gain.setValueAtTime(.15,audio.currentTime);g.gain.exponentialRampToValueAtTime(.001,audio.currentTime+.35);o.start();o.stop(audio.currentTime+.35)}catch(e){}}
    function notify(title,body,freq){beep(freq);toast(title+': '+body);try{if(window.Notification&&Notification.permission==='granted')new Notification(title,{body})}catch(e){}}
    document.addEventListener('click',()=>{try{if(window.Notification&&Notification.permission==='default')Notification.requestPermission()}catch(e){}},{once:true});
    async function api(path,body,method){
      const opt={method:method||(body===undefined?'GET':'POST'),credentials:'same-origin',headers:{}};
      if(opt.method!=='GET'){opt.headers['Content-Type']='application/json';opt.headers['X-CSRF-Token']=R.csrf||'';opt.body=JSON.stringify(body||{})}
      const r=await fetch(path,opt);let j=null;try{j=await r.json()}catch(e){}
      if(!r.ok&&r.status!==202){throw new Error((j&&j.error)||('HTTP '+r.status))}return j}
    async function cmd(path,body,label){try{const j=await api(path,body);toast(label+': '+(j&&j.event?j.event.outcome+(j.event.reason?' ('+j.event.reason+')':''):j&&j.answered===false?'sent, no answer yet':'sent'));return j}catch(e){toast(label+' failed: '+e.message,true)}}
    function autoEvent(m){
      if(m.replay||m.topic!=='trade.update')return;const t=m.data.trade||{},p=m.data.previous;
      if(t.entry_method==='auto'&&t.status==='open'&&(p==null||p==='pending'))notify('Auto entry',(t.side||'').toUpperCase()+' '+t.count+' × '+t.ticker+' @ '+cents(t.entry_price),880);
      const cm=t.close_method;if((cm==='auto-stop'||cm==='ripcord')&&t.status==='closed'&&p!=='closed')notify(cm==='ripcord'?'Ripcord close':'Auto-stop close',t.ticker+' PnL '+usd(t.pnl),440);
    }
    function banner(){const b=$('#mode-banner');if(!R.mode||!b)return;document.body.classList.remove('mode-sim','mode-paper','mode-demo','mode-prod');document.body.classList.add('mode-'+R.mode);b.textContent=R.mode==='prod'?'PROD — REAL MONEY':R.mode.toUpperCase()}
    // The status bar: trading state with every hold and its owner, automated trading and whether it scans, data ages.
    function tradingBadge(){const t=val('sys.control.state.trading'),b=$('#trading');if(!b)return;if(!t){b.textContent='trading —';b.className='badge';return}
      const holds=(t.holds||[]).map(h=>h.holder+': '+h.mode+(h.hard?' hard':'')+(h.reason?' ('+h.reason+')':''));
      b.textContent=t.mode+(t.hard?' (hard)':'')+(holds.length?' · '+holds.join(' · '):'');b.className='badge '+t.mode;b.title=holds.join('\n')||'no holds'}
    function statusBar(){tradingBadge();const a=$('#auto');if(!a)return;const ae=val('settings.auto-entry'),as=val('settings.trade-supervisor'),t=val('sys.control.state.trading');
      const on=!!(ae&&ae.values&&ae.values.auto_entry==='true'),stop=!!(as&&as.values&&as.values.auto_stop==='true'),scanning=on&&t&&t.mode==='ACTIVE';
      a.textContent='auto entry '+(on?(scanning?'on · scanning':'on · paused'):'off')+' · auto stop '+(stop?'on':'off');a.className='badge'+(scanning?' on':on?' paused':'');
      const now=Date.now()/1000;let worst=null;for(const m of prefixed('sys.heartbeat.'))for(const v of Object.values(m.data.dataAges||{}))if(v!=null){const age=Number(v)+(now-m.at);if(worst==null||age>worst)worst=age}
      const g=$('#ages');g.textContent=worst==null?'data —':'oldest data '+worst.toFixed(1)+'s';g.className='small '+(worst!=null&&worst>30?'down':'muted')}
    // "Fleet not answering": heartbeats come every second; when no push arrives for 10 s the page says so.
    let lastFrame=Date.now();
    setInterval(()=>{const d=$('#fleet-down');if(!d)return;const quiet=(Date.now()-lastFrame)/1000,down=quiet>10;d.hidden=!down;if(down)$('#fleet-silence').textContent=dur(quiet);statusBar()},1000);
    function alertEvent(m){if(m.replay||!m.topic.startsWith('sys.alert.'))return;const a=m.data||{},bad=a.severity==='critical'||a.severity==='error';
      toast('Alert '+(a.source||'')+': '+(a.message||''),bad);beep(bad?300:600)}
    window.addEventListener('load',()=>{const b=$('#mute');if(!b)return;const show=()=>{b.textContent=muted?'sound off':'sound on';b.classList.toggle('on',!muted)};show();
      b.onclick=()=>{muted=!muted;localStorage.setItem('muted',muted?'1':'0');show()}});
    function connect(){
      const ws=new WebSocket((location.protocol==='https:'?'wss://':'ws://')+location.host+'/ws');R.ws=ws;
      ws.onopen=()=>{const c=$('#conn');c.textContent='live';c.className='conn ok'};
      ws.onclose=()=>{const c=$('#conn');c.textContent='reconnecting…';c.className='conn bad';setTimeout(connect,1500)};
      ws.onmessage=ev=>{lastFrame=Date.now();let m;try{m=JSON.parse(ev.data)}catch(e){return}
        if(m.k==='hello'){R.csrf=m.csrf||R.csrf;R.mode=m.mode;R.skew=(Date.parse(m.now)||Date.now())-Date.now();banner()}
        else if(m.k==='h'){R.prices=m.points.map(p=>[p[0],Number(p[1])])}
        else if(m.k==='s'){m.at=Date.now()/1000;R.state[m.topic]=m;if(m.topic==='price.btc.tick'){const t=Math.floor(Date.parse(m.data.time||m.ts)/1000)||Math.floor(Date.now()/1000),p=Number(m.data.price);const l=R.prices[R.prices.length-1];if(l&&l[0]>=t)l[1]=p;else R.prices.push([t,p]);while(R.prices.length&&R.prices[0][0]<t-3600)R.prices.shift()}}
        else if(m.k==='e'){R.events.push(m);if(R.events.length>500)R.events.shift();autoEvent(m);alertEvent(m)}
        R.listeners.forEach(f=>{try{f(m)}catch(e){console.error(e)}});if(m.topic==='sys.control.state.trading'||(m.topic||'').startsWith('settings.'))statusBar();changed()};
    }
    if(!R.csrf)api('/api/session').then(j=>{if(j&&j.csrf)R.csrf=j.csrf}).catch(()=>{});
    window.addEventListener('load',()=>{connect();statusBar()});
    """#
}
