// ja-reranker demo page: runs the same query through Solr's /select (BM25) and /search (BM25 + jarerank)
// on the Solr that serves this page (same origin), and shows both lists with how far each hit moved.
// Plain browser JavaScript, no build step. The URL holds the whole search, so a search can be bookmarked.
"use strict";

const ROWS = 10;
const SNIPPET_CHARS = 110;
/** The operators the jarerank parser knows (CombineOperator), and the page's bounds of reRankDocs. */
const OPERATORS = ["replace", "add", "multiply", "rrf", "minmax"];
const MAX_RERANK_DOCS = 1000;
const FLOAT_MAX = 3.4028234663852886e38;

const $ = (id) => document.getElementById(id);

/** GETs a JSON document; Solr's errors (HTTP 4xx/5xx with {"error": {"msg"}}) become thrown Errors with Solr's message. */
async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  let body;
  try {
    body = await response.json();
  } catch (e) {
    throw new Error(`${url}: HTTP ${response.status}, not JSON`);
  }
  if (!response.ok) {
    const msg = body && body.error && body.error.msg ? body.error.msg : `HTTP ${response.status}`;
    throw new Error(msg);
  }
  return body;
}

/** A Solr request of the page's core: handler and parameters → URL (shown on the page too). */
function solrUrl(core, handler, params) {
  return `../${encodeURIComponent(core)}/${handler}?` + new URLSearchParams({ ...params, wt: "json" });
}

/**
 * The rank query the reranked column asks for, from the page's controls. reRankDocs, operator and weight go in
 * unquoted, so they must come through searchFromUrl's checks (an integer, a known name, a number): a value from the
 * URL never adds a local parameter of its own.
 */
function rankQuery(search) {
  // Quoted, so that a model name from the URL stays one local parameter whatever it holds (Solr judges the name).
  const model = search.model ? ` model='${search.model.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'` : "";
  return `{!jarerank reRankDocs=${search.reRankDocs} reRankOperator=${search.operator}` +
    ` reRankWeight=${search.weight}${model}}`;
}

/** reRankDocs: an integer from 1 to MAX_RERANK_DOCS, as digits only; else null. */
function checkReRankDocs(text) {
  if (!/^[0-9]{1,7}$/.test(text)) {
    return null;
  }
  const n = Number(text);
  return n >= 1 && n <= MAX_RERANK_DOCS ? String(n) : null;
}

/** operator: one of OPERATORS (any case); else null. */
function checkOperator(text) {
  const name = text.toLowerCase();
  return OPERATORS.includes(name) ? name : null;
}

/** weight: a decimal number (1, -0.5, 2e3) that is finite as Solr's float; else null. */
function checkWeight(text) {
  if (!/^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$/.test(text)) {
    return null;
  }
  const x = Number(text);
  return isFinite(x) && Math.abs(x) <= FLOAT_MAX ? String(x) : null;
}

/**
 * The text under a hit's title: the start of its body. This is the one place to change when Solr returns a
 * better snippet for a hit (e.g. the best passage found by passage scoring through [jarerank]).
 */
function snippetOf(doc) {
  const body = typeof doc.body === "string" ? doc.body : "";
  return body.length > SNIPPET_CHARS ? body.slice(0, SNIPPET_CHARS) + "…" : body;
}

/** The model score Solr returned for a hit ([jarerank]), or null when the hit was not reranked. */
function modelScoreOf(doc) {
  const v = doc["[jarerank]"];
  return typeof v === "number" ? v : null;
}

function format(x, digits) {
  return typeof x === "number" && isFinite(x) ? x.toFixed(digits) : "–";
}

/**
 * The search in the URL, with the page's defaults for what it does not say. reRankDocs, operator and weight are
 * checked (checkReRankDocs, checkOperator, checkWeight): a value that fails falls back to the default and is listed
 * in `ignored`, which the page shows.
 */
function searchFromUrl(settings) {
  const p = new URLSearchParams(location.search);
  const ignored = [];
  const checked = (name, check, fallback, expected) => {
    const text = (p.get(name) || "").trim();
    if (!text) {
      return fallback;
    }
    const value = check(text);
    if (value === null) {
      ignored.push(`${name}=${JSON.stringify(text)} (${expected}; using ${fallback})`);
      return fallback;
    }
    return value;
  };
  return {
    q: (p.get("q") || "").trim(),
    model: p.get("model") || "",
    reRankDocs: checked("reRankDocs", checkReRankDocs, String(settings.reRankDocs),
      `not an integer from 1 to ${MAX_RERANK_DOCS}`),
    operator: checked("operator", checkOperator, "replace", `not one of ${OPERATORS.join(", ")}`),
    weight: checked("weight", checkWeight, "1", "not a finite number"),
    ignored,
  };
}

/** Sets a select to value, adding it when the list lacks it (a model from the URL is kept and Solr judges it). */
function choose(select, value) {
  if (value && ![...select.options].some((o) => o.value === value)) {
    select.add(new Option(value, value));
  }
  select.value = value;
}

function fillForm(search) {
  $("q").value = search.q;
  choose($("model"), search.model);
  $("reRankDocs").value = search.reRankDocs;
  choose($("operator"), search.operator);
  $("weight").value = search.weight;
}

/** The models configured in the core's jarerank query parser (Solr's Config API), default first. */
async function loadModels(core) {
  const config = await getJson(`../${encodeURIComponent(core)}/config/queryParser?omitHeader=true`);
  const parsers = (config.config && config.config.queryParser) || {};
  for (const parser of Object.values(parsers)) {
    if (parser && parser.models && typeof parser.models === "object") {
      return { names: Object.keys(parser.models), defaultModel: parser.defaultModel || "" };
    }
  }
  return { names: [], defaultModel: "" };
}

function movement(from, to) {
  const el = document.createElement("div");
  el.className = "move";
  if (from === null) {
    el.textContent = "new";
    el.title = "not in the first pass list";
    return el;
  }
  const delta = from - to;
  el.classList.add(delta > 0 ? "up" : delta < 0 ? "down" : "same");
  el.textContent = delta > 0 ? `▲${delta}` : delta < 0 ? `▼${-delta}` : "=";
  el.title = `first pass #${from} → reranked #${to}`;
  return el;
}

/** One hit as a list item: rank, movement, title (linked), snippet, scores. */
function hitItem(doc, rank, move, tint, scores) {
  const li = document.createElement("li");
  li.className = "hit";
  li.dataset.docId = String(doc.id);
  const rankEl = document.createElement("div");
  rankEl.className = "rank";
  rankEl.textContent = String(rank);
  const main = document.createElement("div");
  const title = document.createElement(typeof doc.url === "string" && /^https?:\/\//.test(doc.url) ? "a" : "span");
  title.className = "title";
  title.textContent = doc.title || doc.id;
  if (title.tagName === "A") {
    title.href = doc.url;
    title.target = "_blank";
    title.rel = "noopener";
  }
  const id = document.createElement("span");
  id.className = "doc-id";
  id.textContent = doc.id;
  const snippet = document.createElement("p");
  snippet.className = "snippet";
  snippet.textContent = snippetOf(doc);
  const scoreLine = document.createElement("div");
  scoreLine.className = "scores";
  for (const s of scores) {
    const span = document.createElement("span");
    span.textContent = s;
    scoreLine.append(span);
  }
  main.append(title, id, snippet, scoreLine);
  li.append(rankEl, move, main);
  if (tint) {
    li.style.background = tint;
  }
  // Hovering a hit outlines the same document in the other list.
  li.addEventListener("mouseenter", () => link(li.dataset.docId, true));
  li.addEventListener("mouseleave", () => link(li.dataset.docId, false));
  return li;
}

function link(docId, on) {
  for (const el of document.querySelectorAll(".hit")) {
    if (el.dataset.docId === docId) {
      el.classList.toggle("linked", on);
    }
  }
}

/** Background of a moved hit: green up, red down, stronger the further it moved. */
function tintOf(delta) {
  if (!delta) {
    return "";
  }
  const alpha = Math.min(Math.abs(delta) / 10, 1) * 0.22 + 0.04;
  return `rgba(var(${delta > 0 ? "--up" : "--down"}), ${alpha.toFixed(2)})`;
}

function render(firstPass, reranked) {
  const firstDocs = firstPass.response.docs;
  const rerankedDocs = reranked.response.docs;
  const firstRank = new Map(firstDocs.map((d, i) => [String(d.id), i + 1]));
  const rerankedRank = new Map(rerankedDocs.map((d, i) => [String(d.id), i + 1]));
  const modelScore = new Map(rerankedDocs.map((d) => [String(d.id), modelScoreOf(d)]));

  const left = $("first-pass");
  left.replaceChildren(
    ...firstDocs.slice(0, ROWS).map((d, i) => {
      const to = rerankedRank.get(String(d.id));
      const move = document.createElement("div");
      move.className = to ? "move same" : "move down";
      move.textContent = to ? `→${to}` : "out";
      move.title = to ? `reranked #${to}` : `not in the reranked top ${ROWS}`;
      const m = modelScore.get(String(d.id));
      return hitItem(d, i + 1, move, "", [`BM25 ${format(d.score, 3)}`, `model ${format(m, 4)}`]);
    }));

  const right = $("reranked");
  right.replaceChildren(
    ...rerankedDocs.map((d, i) => {
      const from = firstRank.has(String(d.id)) ? firstRank.get(String(d.id)) : null;
      const li = hitItem(d, i + 1, movement(from, i + 1), tintOf(from === null ? 0 : from - (i + 1)), [
        `BM25 ${format(d["originalScore()"], 3)}`,
        `model ${format(modelScoreOf(d), 4)}`,
        `score ${format(d.score, 4)}`,
      ]);
      li.dataset.firstPassRank = from === null ? "" : String(from);
      return li;
    }));
}

function timing(firstPass, reranked, search) {
  const t1 = firstPass.responseHeader.QTime;
  const t2 = reranked.responseHeader.QTime;
  $("first-pass-timing").textContent =
    `${firstPass.response.numFound} matches · first pass ${t1} ms`;
  const reranking = Math.max(0, t2 - t1);
  const scored = Math.min(Number(search.reRankDocs), reranked.response.numFound);
  let text = `${reranked.response.numFound} matches · ${t2} ms in all: first pass + reranking the top ` +
    `${scored} (≈ ${reranking} ms)`;
  if (reranked.responseHeader.partialResults) {
    const why = reranked.responseHeader.partialResultsDetails || "see Solr's log";
    text += ` · NOT reranked (first-pass order): ${why}`;
  }
  $("reranked-timing").textContent = text;
}

function showError(message) {
  $("error").textContent = message;
  $("error").hidden = false;
}

async function run() {
  let settings;
  try {
    settings = await getJson("settings.json");
  } catch (e) {
    showError(`cannot read the page settings: ${e.message}`);
    document.body.dataset.state = "error";
    return;
  }
  $("model-line").textContent = `model: ${settings.model} · core: ${settings.core}`;
  if (settings.randomWeights) {
    $("notice").textContent = "This model has RANDOM WEIGHTS (a test model): the mechanics are real, " +
      "the reranked order is not meaningful. Put a real model under models/ (docs/models.md).";
    $("notice").hidden = false;
  }
  const search = searchFromUrl(settings);
  if (search.ignored.length) {
    $("ignored").textContent = `Ignored from the URL: ${search.ignored.join("; ")}.`;
    $("ignored").hidden = false;
  }
  try {
    const models = await loadModels(settings.core);
    const select = $("model");
    if (models.defaultModel) {
      select.options[0].text = `default (${models.defaultModel})`;
    }
    for (const name of models.names) {
      select.add(new Option(name, name));
    }
  } catch (e) {
    // The model list is a convenience: without it the default model is used.
  }
  fillForm(search);
  // The form now holds every value a submit should carry (until here reRankDocs was still empty).
  document.body.dataset.state = "ready";
  if (!search.q) {
    $("status").textContent = "Type a query (Japanese), then 検索.";
    return;
  }
  document.title = `${search.q} – ja-reranker`;
  document.body.dataset.state = "searching";
  $("status").textContent = "Searching…";
  // Ranks of the first pass down to reRankDocs, so a hit the model lifted from deep down shows where it came from.
  const depth = Math.max(ROWS, Math.min(Number(search.reRankDocs) || ROWS, 1000));
  const firstUrl = solrUrl(settings.core, "select", {
    q: search.q, rows: String(depth), fl: "id,title,body,url,score",
  });
  const rerankedUrl = solrUrl(settings.core, "search", {
    q: search.q, rows: String(ROWS), rq: rankQuery(search),
    fl: "id,title,body,url,score,originalScore(),[jarerank]",
  });
  try {
    // One after the other, so each request's time is its own. The reranked request goes first: the first pass
    // then runs on a warm index, so its time is the first pass's own cost, not start-up noise.
    const reranked = await getJson(rerankedUrl);
    const firstPass = await getJson(firstUrl);
    render(firstPass, reranked);
    timing(firstPass, reranked, search);
    $("status").textContent = "";
    const requests = $("requests");
    requests.replaceChildren("Solr requests: ");
    for (const [label, url] of [["/select", firstUrl], ["/search", rerankedUrl]]) {
      const a = document.createElement("a");
      a.href = url;
      a.textContent = label;
      a.className = "request";
      requests.append(a, " ");
    }
    document.body.dataset.state = "done";
  } catch (e) {
    $("first-pass").replaceChildren();
    $("reranked").replaceChildren();
    $("status").textContent = "";
    showError(`Solr: ${e.message}`);
    document.body.dataset.state = "error";
  }
}

run();
