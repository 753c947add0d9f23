// The query page: a library question or a blank query in an editor, run against /sparql.
// Everything it loads comes from this server: no request leaves the machine.
"use strict";

const PREFIXES = {
  tkg: "https://w3id.org/treatykg/ontology#",
  id: "https://w3id.org/treatykg/id/",
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  skos: "http://www.w3.org/2004/02/skos/core#",
  prov: "http://www.w3.org/ns/prov#",
};
const PROLOGUE = Object.entries(PREFIXES).map(([p, iri]) => `PREFIX ${p}: <${iri}>`).join("\n");
const TODAY = new Date().toISOString().slice(0, 10);
const BLANK = `${PROLOGUE}

# Every state's status in the Convention on Cluster Munitions on ${TODAY}
SELECT ?state ?name ?status ?since WHERE {
  ?interval tkg:subject <https://w3id.org/treatykg/id/treaty/cmc> ;
            tkg:state ?stateNode ; tkg:status ?statusNode ; tkg:since ?since .
  FILTER(?since <= "${TODAY}"^^xsd:date)
  OPTIONAL { ?interval tkg:until ?until }
  FILTER(!BOUND(?until) || ?until > "${TODAY}"^^xsd:date)
  OPTIONAL { ?stateNode tkg:code ?state }
  OPTIONAL { ?stateNode rdfs:label ?name }
  OPTIONAL { ?statusNode skos:notation ?status }
}
ORDER BY ?state
LIMIT 100`;

const $ = (id) => document.getElementById(id);
const editor = $("query");
let questions = {};

function lines() {
  const count = editor.value.split("\n").length;
  $("gutter").textContent = Array.from({ length: count }, (_, i) => i + 1).join("\n");
  $("gutter").scrollTop = editor.scrollTop;
}

function setText(text) {
  editor.defaultValue = text;  // the document holds the query too (a saved page keeps it)
  editor.value = text;
  lines();
}

function showError(message) {
  $("error").hidden = !message;
  $("error").textContent = message || "";
}

function paramsForm(name) {
  const form = $("params");
  form.replaceChildren();
  const q = questions[name];
  $("summary").textContent = q ? `${q.summary}${q.description ? " — " + q.description : ""}` : "";
  if (!q) return;
  for (const p of q.parameters) {
    const label = document.createElement("label");
    label.textContent = `${p.name}: ${p.description}`;
    label.htmlFor = `param-${p.name}`;
    const input = document.createElement("input");
    input.id = `param-${p.name}`;
    input.name = p.name;
    input.value = p.default || "";
    if (p.format === "date") input.placeholder = "YYYY-MM-DD";
    form.append(label, input);
  }
}

async function loadQuestion() {
  const name = $("example").value;
  showError("");
  if (!name) { setText(BLANK); return; }
  const search = new URLSearchParams(new FormData($("params")));
  search.set("format", "sparql");
  const response = await fetch(`/api/${encodeURIComponent(name)}?${search}`);
  const text = await response.text();
  if (!response.ok) { showError(`${response.status}: ${text}`); return; }
  setText(text.replace(/^(#\+[^\n]*\n)+\n?/, ""));
}

function short(value) {
  for (const [prefix, iri] of Object.entries(PREFIXES)) {
    if (value.startsWith(iri) && prefix === "id") return value.slice(iri.length);
    if (value.startsWith(iri)) return `${prefix}:${value.slice(iri.length)}`;
  }
  return value;
}

function cell(term) {
  const td = document.createElement("td");
  if (!term) return td;
  if (term.type === "uri") { td.className = "iri"; td.title = term.value; td.textContent = short(term.value); }
  else {
    td.textContent = term.value;
    if (term["xml:lang"]) td.lang = term["xml:lang"];
    if (term.datatype) td.title = short(term.datatype);
  }
  return td;
}

function table(data) {
  const vars = data.head.vars.filter((v) => !v.startsWith("_"));
  const t = document.createElement("table");
  t.id = "answer";
  const head = t.createTHead().insertRow();
  for (const v of vars) { const th = document.createElement("th"); th.textContent = v; head.append(th); }
  const body = t.createTBody();
  for (const row of data.results.bindings) {
    const tr = body.insertRow();
    for (const v of vars) tr.append(cell(row[v]));
  }
  return t;
}

function downloads(text) {
  const box = $("downloads");
  box.replaceChildren();
  for (const f of ["csv", "tsv", "json", "xml"]) {
    const a = document.createElement("a");
    a.href = `/sparql?${new URLSearchParams({ query: text, format: f })}`;
    a.textContent = f.toUpperCase();
    a.download = `answer.${f}`;
    box.append(a);
  }
}

async function run() {
  const text = editor.value;
  showError("");
  $("results").replaceChildren();
  $("status").textContent = "running…";
  const started = performance.now();
  let response;
  try {
    response = await fetch("/sparql", {
      method: "POST",
      headers: { "Content-Type": "application/sparql-query",
                 "Accept": "application/sparql-results+json, text/turtle;q=0.9" },
      body: text,
    });
  } catch (error) {
    $("status").textContent = "";
    showError(`the server did not answer: ${error}`);
    return;
  }
  const seconds = ((performance.now() - started) / 1000).toFixed(2);
  const type = response.headers.get("content-type") || "";
  if (!response.ok) {
    $("status").textContent = `failed after ${seconds} s`;
    showError(`${response.status} ${response.statusText}: ${(await response.text()).trim()}`);
    return;
  }
  if (type.startsWith("application/sparql-results+json")) {
    const data = await response.json();
    if ("boolean" in data) {
      $("results").textContent = `ASK: ${data.boolean}`;
      $("status").textContent = `answered in ${seconds} s`;
      return;
    }
    $("results").append(table(data));
    const n = data.results.bindings.length;
    $("status").textContent = `${n} row${n === 1 ? "" : "s"} in ${seconds} s`;
    downloads(text);
  } else {
    const pre = document.createElement("pre");
    pre.className = "graph";
    pre.textContent = await response.text();
    $("results").append(pre);
    $("status").textContent = `graph in ${seconds} s`;
  }
}

function addPrefixes() {
  const missing = Object.entries(PREFIXES)
    .filter(([p]) => !new RegExp(`PREFIX\\s+${p}:`, "i").test(editor.value))
    .map(([p, iri]) => `PREFIX ${p}: <${iri}>`);
  if (missing.length) setText(missing.join("\n") + "\n" + editor.value);
}

editor.addEventListener("input", lines);
editor.addEventListener("scroll", () => { $("gutter").scrollTop = editor.scrollTop; });
editor.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); run(); }
  else if (event.key === "Tab") {
    event.preventDefault();
    const { selectionStart: s, selectionEnd: e } = editor;
    editor.setRangeText("  ", s, e, "end");
    lines();
  }
});
$("run").addEventListener("click", run);
$("prefixes").addEventListener("click", addPrefixes);
$("load").addEventListener("click", loadQuestion);
$("example").addEventListener("change", () => { paramsForm($("example").value); loadQuestion(); });

async function start() {
  setText(BLANK);
  const response = await fetch("/api/");
  $("build").textContent = `Build ${response.headers.get("x-treatykg-build") || "?"}.`;
  const listing = await response.json();
  for (const [path, spec] of Object.entries(listing.paths)) {
    const name = path.slice(1);
    questions[name] = spec.get;
    const option = document.createElement("option");
    option.value = name;
    option.textContent = `${name} — ${spec.get.summary}`;
    $("example").append(option);
  }
  // a link may name a question, its parameters and `run`: /?example=NAME&asOf=2026-11-22&run
  const wanted = new URLSearchParams(location.search);
  if (wanted.get("query")) setText(wanted.get("query"));
  const name = wanted.get("example");
  if (name && questions[name]) {
    $("example").value = name;
    paramsForm(name);
    for (const [key, value] of wanted) {
      const input = document.getElementById(`param-${key}`);
      if (input) input.value = value;
    }
    await loadQuestion();
  }
  if (wanted.has("run")) await run();
}

start().catch((error) => showError(`the page could not start: ${error}`));
