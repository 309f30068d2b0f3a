// nav.js: nav.json's rows, and where the list's pages are.
import { test } from "node:test";
import assert from "node:assert/strict";
import { navEvents, pageUrl, pageNumber, withQuery } from "../../static/assets/nav.js";
import { inBar } from "../../static/assets/overview-dim.js";

test("a row's page is its place in the list over the page size", () => {
  const row = (id) => [id, 2017, "confirmed", ["t"], ["p"], "1 March 2017", "T", 20170301, null];
  const events = navEvents({ size: 2, events: ["a", "b", "c"].map(row) });
  assert.deepEqual(events.map((e) => e.page), [1, 1, 2]);
  assert.deepEqual(events[2], { id: "c", year: 2017, status: "confirmed", tags: ["t"],
                                places: ["p"], page: 2, date: "1 March 2017", title: "T",
                                first: 20170301, last: null });
});

test("pages are addressed from the list's root, the first without a number", () => {
  assert.equal(pageUrl("/ko/", 1), "/ko/");
  assert.equal(pageUrl("/ko/", 3), "/ko/page/3/");
  assert.equal(pageNumber("/ko/page/3/"), 3);
  assert.equal(pageNumber("/page/12/index.html"), 12);
  assert.equal(pageNumber("/ko/"), 1);
});

test("a month's bar counts the events whose first day is in that month", () => {
  const bar = (from, to, month) => ({ dataset: { from: String(from), to: String(to),
                                                 month: month ? String(month) : undefined } });
  const march = { year: 2017, first: 20170331 };
  assert.equal(inBar(bar(2017, 2017, 3), march), true);
  assert.equal(inBar(bar(2017, 2017, 4), march), false);
  assert.equal(inBar(bar(2010, 2019), march), true);
  assert.equal(inBar(bar(2018, 2019), march), false);
});

test("a link takes the filters' query in place of its own, keeping its fragment", () => {
  assert.equal(withQuery("/page/2/", "tag=un"), "/page/2/?tag=un");
  assert.equal(withQuery("../page/3/#y2017", "tag=un&from=2017"), "../page/3/?tag=un&from=2017#y2017");
  assert.equal(withQuery("/ko/?tag=old#e1", "tag=un"), "/ko/?tag=un#e1");
  assert.equal(withQuery("/ko/?tag=old#e1", ""), "/ko/#e1");
  assert.equal(withQuery("/", ""), "/");
});
