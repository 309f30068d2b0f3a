// nav.json, every event of the home page's list in order (id, year, status, tags, places,
// date, title, first and last day), and where the list's pages are.

// nav.json's rows as events; a row's page is its place in the list over the page size.
export function navEvents(data) {
  const size = data.size || 1;
  return data.events.map(function (row, n) {
    return { id: row[0], year: row[1], status: row[2], tags: row[3], places: row[4],
             page: Math.floor(n / size) + 1, date: row[5], title: row[6],
             first: row[7], last: row[8] };
  });
}

// A loader of nav.json at ``url``, fetched once when first asked (again after a failure).
export function navLoader(url) {
  let nav = null;
  let loading = null;
  return function () {
    if (nav) return Promise.resolve(nav);
    if (!loading) {
      loading = fetch(url).then(function (r) {
        if (!r.ok) throw new Error("nav.json: HTTP " + r.status);
        return r.json();
      }).then(function (data) {
        nav = navEvents(data);
        return nav;
      });
      loading.catch(function () { loading = null; });
    }
    return loading;
  };
}

// The address of page ``n`` of the list whose first page is ``root``.
export function pageUrl(root, n) { return root + (n === 1 ? "" : "page/" + n + "/"); }

// The number of the list's page at ``path`` (1 for the first).
export function pageNumber(path) {
  const m = path.match(/\/page\/(\d+)\/(index\.html)?$/);
  return m ? Number(m[1]) : 1;
}

// ``href`` with its query replaced by ``query`` ("" drops it), its #fragment kept.
export function withQuery(href, query) {
  const hash = href.indexOf("#");
  const fragment = hash === -1 ? "" : href.slice(hash);
  const rest = hash === -1 ? href : href.slice(0, hash);
  const ask = rest.indexOf("?");
  const path = ask === -1 ? rest : rest.slice(0, ask);
  return path + (query ? "?" + query : "") + fragment;
}
