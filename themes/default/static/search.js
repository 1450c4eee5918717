// The search page: asks the Pagefind index the build wrote into the site, in the browser.
// No server-side code, no inline script or style: the page's CSP (script-src 'self'
// 'wasm-unsafe-eval') holds. Results are built with DOM calls; excerpts keep only <mark>.
const results = document.getElementById("search-results");
const status = document.getElementById("search-status");
const input = document.getElementById("search-q");
const MAX_RESULTS = 30;
let index = null;
let latest = 0;
let timer = 0;

// The build writes the index in shards (pagefind/shards.json lists them): the page loads
// Pagefind from the first and merges the others, so one search asks them all.
async function openIndex() {
  const bundle = new URL(".", new URL(results.dataset.pagefind, window.location.href));
  const response = await fetch(new URL("shards.json", bundle), { cache: "no-cache" });
  if (!response.ok) throw new Error(`no search index (${response.status})`);
  const { shards } = await response.json();
  if (!shards.length) return { search: async () => ({ results: [] }) };  // a site with no article
  const base = { baseUrl: results.dataset.base };
  const pagefind = await import(new URL(`${shards[0]}/pagefind.js`, bundle).href);
  await pagefind.options(base);
  await pagefind.init();
  await Promise.all(shards.slice(1).map((name) => pagefind.mergeIndex(new URL(`${name}/`, bundle).pathname, { ...base })));
  return pagefind;
}

function loadIndex() {
  if (!index) index = openIndex().catch((error) => { index = null; throw error; });
  return index;
}

// Pagefind's excerpt is text with <mark> around the hits: keep the text and the marks only.
function excerpt(html) {
  const doc = new DOMParser().parseFromString(`<p>${html}</p>`, "text/html");
  const p = document.createElement("p");
  p.className = "search-excerpt";
  for (const node of doc.body.firstChild.childNodes) {
    if (node.nodeName === "MARK") {
      const mark = document.createElement("mark");
      mark.textContent = node.textContent;
      p.append(mark);
    } else {
      p.append(node.textContent);
    }
  }
  return p;
}

function resultItem(data) {
  const item = document.createElement("li");
  const heading = document.createElement("h2");
  const link = document.createElement("a");
  link.href = data.url;
  link.textContent = data.meta.title || data.url;
  heading.append(link);
  item.append(heading);
  const facts = [data.meta.outlet, data.meta.date].filter(Boolean).join(" · ");
  if (facts) {
    const detail = document.createElement("p");
    detail.className = "detail";
    detail.textContent = facts;
    item.append(detail);
  }
  item.append(excerpt(data.excerpt));
  return item;
}

function remember(query) {
  const url = new URL(window.location.href);
  if (query) url.searchParams.set("q", query);
  else url.searchParams.delete("q");
  window.history.replaceState(null, "", url);
}

async function run(raw) {
  const query = raw.trim();
  const ticket = ++latest;
  remember(query);
  if (!query) {
    results.replaceChildren();
    status.textContent = "";
    return;
  }
  status.textContent = "Searching…";
  let found;
  try {
    const pagefind = await loadIndex();
    const search = await pagefind.search(query);
    found = await Promise.all(search.results.slice(0, MAX_RESULTS).map((r) => r.data()));
  } catch (error) {
    if (ticket === latest) status.textContent = "Search is not available on this copy of the site; every story is listed in the archive.";
    return;
  }
  if (ticket !== latest) return;
  results.replaceChildren(...found.map(resultItem));
  const count = found.length === 1 ? "1 article" : `${found.length} articles`;
  status.textContent = found.length ? `${count} found for “${query}”.` : `Nothing found for “${query}”.`;
}

input.form.addEventListener("submit", (event) => {
  event.preventDefault();
  run(input.value);
});
input.addEventListener("input", () => {
  clearTimeout(timer);
  timer = setTimeout(() => run(input.value), 250);
});
const initial = new URLSearchParams(window.location.search).get("q");
if (initial) {
  input.value = initial;
  run(initial);
}
