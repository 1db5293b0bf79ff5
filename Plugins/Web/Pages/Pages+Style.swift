extension Pages {
    /// The one stylesheet: dark, dense, and a single column on a phone.
    static let css = #"""
    *{box-sizing:border-box}body{margin:0;font:14px/1.35 system-ui,-apple-system,"Segoe UI",sans-serif;background:#0f1318;color:#dde3ea}
    header{display:flex;flex-wrap:wrap;align-items:center;gap:10px;padding:8px 12px;background:#161c23;border-bottom:1px solid #2a323c}
    .logo{font-weight:700;font-size:18px;letter-spacing:.5px;color:#7fd1ff}nav{display:flex;gap:4px;flex-wrap:wrap}
    nav a{color:#aeb8c4;text-decoration:none;padding:4px 8px;border-radius:4px}nav a.on{background:#2a3440;color:#fff}
    .conn{margin-left:auto;font-size:12px;color:#8a96a3}.conn.ok{color:#5fd38d}.conn.bad{color:#ff6b6b}
    .badge{padding:2px 8px;border-radius:10px;background:#2a3440;font-size:12px;font-weight:600}
    .badge.ACTIVE{background:#1f6f43}.badge.REDUCING{background:#8a6d1a}.badge.HALTED{background:#8b2323}
    .mode-banner{text-align:center;font-weight:700;padding:2px;font-size:12px;background:#39424d;letter-spacing:2px}
    .mode-paper .mode-banner{background:#24528a}.mode-demo .mode-banner{background:#8a6d1a}
    .mode-prod .mode-banner{background:#c0131a;color:#fff;font-size:20px;padding:8px;letter-spacing:4px;animation:pulse 2s infinite}
    .mode-prod header{border-bottom:4px solid #c0131a}@keyframes pulse{50%{background:#8a0d12}}
    main{padding:10px;display:grid;gap:10px}.grid3{display:grid;grid-template-columns:minmax(240px,1fr) minmax(360px,2fr) minmax(280px,1.3fr);gap:10px}
    main>*,.grid3>*{min-width:0}
    #strikes tr.watched td:first-child::before{content:"★ ";color:#d9a400}.small{font-size:12px}.settings .edited{outline:2px solid #d9a400}.badge.on{background:#1f6f43}.badge.paused{background:#8a6d1a}
    .fleet-down{background:#8b2323;color:#fff;font-weight:700;text-align:center;padding:6px}.fleet-down[hidden]{display:none}
    .grid2{grid-template-columns:1fr 1fr}.grow{flex:1}.w64{width:64px}.w120{width:120px}td.wrap{text-align:left;white-space:normal}
    @media (max-width:900px){.grid3{grid-template-columns:minmax(0,1fr)!important}header nav a{padding:6px}th,td{padding:3px 3px}}
    @media (max-width:900px){#open-trades{table-layout:fixed;width:100%}#open-trades th,#open-trades td{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
      #open-trades th:nth-child(3),#open-trades td:nth-child(3){display:none}#open-trades button.close{width:100%;min-height:40px;padding:6px 2px}}
    .card{background:#161c23;border:1px solid #2a323c;border-radius:6px;padding:10px;min-width:0;overflow-x:auto}
    .card h2{font-size:13px;text-transform:uppercase;letter-spacing:1px;color:#8a96a3;margin:0 0 8px;display:flex;align-items:center;gap:8px}
    .big{font-size:32px;font-weight:700;font-variant-numeric:tabular-nums}.muted{color:#8a96a3}.up{color:#5fd38d}.down{color:#ff6b6b}
    table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums}th,td{padding:3px 5px;text-align:right;white-space:nowrap}
    th{color:#8a96a3;font-weight:500;font-size:12px;border-bottom:1px solid #2a323c}td:first-child,th:first-child{text-align:left}
    tr.ultra td{background:rgba(40,160,90,.22)}tr.safe td{background:rgba(40,160,90,.12)}tr.caution td{background:rgba(200,160,40,.12)}
    tr.risk td{background:rgba(200,60,60,.10)}tr.has-trade td:first-child{border-left:4px solid #5fd38d}
    tr.spanner td{background:#222b35;text-align:center;color:#7fd1ff;font-weight:700}
    button{background:#2a3440;color:#dde3ea;border:1px solid #3a4654;border-radius:4px;padding:4px 10px;cursor:pointer;font:inherit}
    button:hover{background:#354252}button:disabled{opacity:.35;cursor:default}button.buy{min-width:52px}button.buy.act{background:#1f5f8a}
    button.danger{background:#8b2323}button.ok{background:#1f6f43}.switch.on{background:#1f6f43}.switch{min-width:64px}
    input,select{background:#0f1318;color:#dde3ea;border:1px solid #3a4654;border-radius:4px;padding:4px;font:inherit;max-width:100%}
    .row{display:flex;flex-wrap:wrap;gap:6px;align-items:center}.kv{display:grid;grid-template-columns:auto 1fr;gap:2px 10px}
    .settings{display:none;margin:6px 0;padding:6px;border:1px dashed #3a4654}.settings.open{display:grid;grid-template-columns:1fr 1fr;gap:4px}
    #toasts{position:fixed;right:10px;bottom:10px;display:flex;flex-direction:column;gap:6px;z-index:9}
    .toast{background:#24303c;border-left:4px solid #7fd1ff;padding:8px 12px;border-radius:4px;max-width:320px}.toast.err{border-color:#ff6b6b}
    svg{width:100%;height:140px;display:block}.ttc{font-size:28px;font-weight:700;font-variant-numeric:tabular-nums}
    .tap{font:12px ui-monospace,monospace;max-height:360px;overflow:auto;white-space:pre-wrap;word-break:break-all}
    .login{max-width:320px;margin:60px auto}.login form{display:grid;gap:10px}.err{color:#ff6b6b}.logout{display:inline}
    .bars{display:flex;gap:3px;align-items:flex-end;height:40px}.bars div{flex:1;background:#7fd1ff;min-height:1px}.bars div.neg{background:#ff6b6b}
    """#
}
