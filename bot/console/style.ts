/** @module The console's one stylesheet: readable on a laptop, tables turn into cards on a phone. */
export const STYLESHEET = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.6 -apple-system,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;color:#1f2329;background:#f5f6f7}
header{display:flex;flex-wrap:wrap;align-items:center;gap:.5rem 1.5rem;padding:.6rem 1.2rem;background:#fff;border-bottom:1px solid #dee0e3}
header strong{font-size:1.05rem}
nav{display:flex;flex-wrap:wrap;gap:.2rem 1rem;flex:1}
nav a{color:#646a73;text-decoration:none;padding:.2rem 0}
nav a[aria-current]{color:#3370ff;border-bottom:2px solid #3370ff}
main{max-width:1200px;margin:0 auto;padding:1rem 1.2rem}
section{background:#fff;border:1px solid #dee0e3;border-radius:8px;padding:1rem;margin-bottom:1rem}
h1{font-size:1.3rem;margin:.2rem 0 1rem}h2{font-size:1.05rem;margin:0 0 .6rem}
table{width:100%;border-collapse:collapse}
th,td{text-align:left;padding:.45rem .5rem;border-bottom:1px solid #eff0f1;vertical-align:top}
th{color:#646a73;font-weight:500;white-space:nowrap}
form.inline{display:inline}
button,.button{white-space:nowrap;font:inherit;padding:.3rem .8rem;border:1px solid #3370ff;border-radius:6px;background:#3370ff;color:#fff;cursor:pointer;text-decoration:none;display:inline-block}
button.plain,.button.plain{background:#fff;color:#3370ff}
button.danger{background:#f54a45;border-color:#f54a45}
input[type=text],input[type=search]{font:inherit;padding:.35rem .6rem;border:1px solid #dee0e3;border-radius:6px;width:100%}
.row{display:flex;flex-wrap:wrap;gap:.6rem;align-items:center}
.row input[type=search]{flex:1;min-width:12rem}
.muted{color:#8f959e;font-size:.9em}
.badge{display:inline-block;padding:0 .5rem;border-radius:4px;font-size:.85em;background:#eff0f1}
.ok{background:#e8ffea;color:#006a2b}.warn{background:#fff3e8;color:#8f4a00}.bad{background:#ffeceb;color:#a4211b}
.error{color:#a4211b}
pre{white-space:pre-wrap;word-break:break-word;background:#f5f6f7;padding:.6rem;border-radius:6px;margin:.3rem 0}
blockquote{margin:.3rem 0;padding:.2rem .8rem;border-left:3px solid #3370ff;background:#f5f8ff}
progress{width:100%}
details summary{cursor:pointer;color:#3370ff}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr));gap:1rem}.grid section{margin:0}
.chart{margin:0}.chart figcaption{font-weight:500;margin-bottom:.3rem}.chart svg{width:100%;height:auto;display:block}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1rem;font-size:.85em;color:#646a73}.legend i{display:inline-block;width:.8em;height:.8em;border-radius:2px;margin-right:.3em;vertical-align:-.05em}
.hbar{display:grid;grid-template-columns:minmax(0,12rem) 1fr auto;gap:.5rem;align-items:center;margin:.25rem 0}
.hbar-label{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}.hbar-track{background:#eff0f1;border-radius:3px;height:.8rem}.hbar-track span{display:block;height:100%;border-radius:3px}
.figures{display:flex;flex-wrap:wrap;gap:1rem 2rem}.figures div{min-width:6rem}.figures strong{display:block;font-size:1.4rem}
.filters a{margin-right:1rem}
@media (max-width:720px){
  main{padding:.6rem}
  table.cards thead{display:none}
  table.cards tr{display:block;border-bottom:1px solid #dee0e3;padding:.4rem 0}
  table.cards td{display:block;border:0;padding:.1rem .2rem}
  table.cards td:empty{display:none}
  table.cards td[data-label]::before{content:attr(data-label) "：";color:#8f959e}
}
`;
