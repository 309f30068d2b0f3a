// strip-layout.js: the zoomed strip's bins, axis, lanes and eras, with the numbers the build
// writes on the strip (tests/test_js_modules.py ties them to overview.py).
import { test } from "node:test";
import assert from "node:assert/strict";
import { readLayout, binOf, binEdges, binDays, binName, unitFor, bin, tickStep, ticks,
         lanes, bands, eraRows, textWidth, markBox, targetBox } from "../../static/assets/strip-layout.js";
import { dateLabels } from "../../static/assets/format.js";
import { makeStrings } from "../../static/assets/strings.js";

const LAYOUT = JSON.stringify({ pad: 16, radius: 5, lane: 16, lanes: 5, eraRow: 21, laneLabel: 15,
  density: 26, bars: 72, axis: 26, font: 13, ticks: [1, 2, 5, 10, 20, 25, 50, 100],
  units: [["month", 1 / 12], ["year", 1], ["decade", 10], ["century", 100]] });
const layout = readLayout({ layout: LAYOUT });
const t = makeStrings("en", {}).t;
const labels = dateLabels("en", t);
const unit = (name) => layout.units.find((u) => u[0] === name);

test("the numbers come from the strip, with the week before the build's units", () => {
  assert.throws(() => readLayout({}), /no data-layout/);
  assert.deepEqual(layout.units.map((u) => u[0]), ["week", "month", "year", "decade", "century"]);
  assert.equal(layout.pad, 16);
});

test("the finest unit that leaves room is chosen, and the coarsest past all", () => {
  assert.deepEqual(unitFor(layout.units, 1, 128), unit("week"));
  assert.deepEqual(unitFor(layout.units, 10, 128), unit("month"));
  assert.deepEqual(unitFor(layout.units, 500, 128), unit("decade"));
  assert.deepEqual(unitFor(layout.units, 1e6, 128), unit("century"));
});

test("a week is days 1-7, 8-14, 15-21, and 22 to the month's end", () => {
  const week = unit("week");
  assert.deepEqual(binOf(20240229, week), [2024, 2, 3]);
  assert.deepEqual(binDays([2024, 2, 3], week), [20240222, 20240229]);
  assert.deepEqual(binDays([2023, 2, 3], week), [20230222, 20230228]);
  assert.deepEqual(binEdges([2024, 2, 3], week)[1], 2024 + 2 / 12);
  assert.match(binName([2024, 2, 0], week, labels, t), /^February 1\s*–\s*7, 2024$/);
});

test("decades and centuries are named, and bins count what matched, in time order", () => {
  assert.deepEqual(binOf(20170301, unit("decade")), [2010]);
  assert.equal(binName([2010], unit("decade"), labels, t), "2010s");
  assert.equal(binName([1900], unit("century"), labels, t), "1900 – 1999");
  assert.deepEqual(binDays([1900], unit("century")), [19000101, 19991231]);
  const bins = bin([{ first: 20190105, out: false }, { first: 20170301, out: true },
                    { first: 20170302, out: false }], unit("year"));
  assert.deepEqual(bins.map((b) => [b.key[0], b.all, b.hit]), [[2017, 2, 1], [2019, 1, 1]]);
});

test("the axis takes a round step into eight parts at most, and skips year 0", () => {
  assert.equal(tickStep(layout.ticks, 30), 5);
  assert.equal(tickStep(layout.ticks, 900), 10000);  // past the list: 10,000, 20,000, 50,000 …
  assert.equal(tickStep(layout.ticks, 150000), 20000);
  const scale = (y) => y;
  const found = ticks(layout, -60, 0, scale, true, labels);
  assert.deepEqual(found.map((x) => x.label),
                   ["60 BCE", "50 BCE", "40 BCE", "30 BCE", "20 BCE", "10 BCE"]);
  assert.deepEqual(found.map((x) => x.minor), [false, true, false, true, false, true]);
});

test("a single year on a wide strip shows every month, a narrow one its quarters", () => {
  const wide = ticks(layout, 2017, 2018, (y) => y, true, labels);
  assert.equal(wide.length, 13);
  assert.deepEqual([wide[0].label, wide[1].label, wide[12].label], ["2017", "Feb", "2018"]);
  assert.equal(ticks(layout, 2017, 2018, (y) => y, false, labels).length, 5);
});

test("lanes are filled greedily; a box with no lane left gets none", () => {
  assert.deepEqual(lanes([[0, 10], [5, 15], [10, 20]], 2), [0, 1, 0]);
  assert.deepEqual(lanes([[0, 10], [1, 11], [2, 12]], 2), [0, 1, null]);
});

test("wide scripts take a full em, Latin letters 0.6 of one; a day's mark is a circle", () => {
  assert.equal(textWidth(layout, "ab"), 1.2 * 13);
  assert.equal(textWidth(layout, "개성"), 2 * 13);
  assert.deepEqual(markBox(layout, 100, 102), [96, 10]);
  assert.deepEqual(markBox(layout, 100, 150), [100, 50]);
});

test("eras get rows where their labels do not overlap", () => {
  const eras = [{ first: 20000101, last: 20091231, title: "Sunshine" },
                { first: 20050101, last: 20151231, title: "Later" }];
  const rows = eraRows(layout, eras, 2000, 2020, (y) => (y - 2000) * 40, 800);
  assert.deepEqual(rows.map((r) => r.row), [0, 1]);
  assert.deepEqual(rows[0].label, [0, "start"]);
});

test("a mark's hit area is at least the layout's target each way, centred on the mark", () => {
  const layout = { target: 26 };
  assert.deepEqual(targetBox(layout, 100, 10, 10, 10), [92, 2, 26, 26]);
  assert.deepEqual(targetBox(layout, 100, 10, 40, 10), [100, 2, 40, 26]);
});

test("lanes per tag: rows within each lane, a label row above each, empty lanes kept", () => {
  const boxes = [[0, 10], [5, 15], [20, 30], [0, 10]];
  const found = bands(layout, boxes, [0, 0, 0, 2], 3, true);
  assert.deepEqual(found.rows, [0, 1, 0, 0]);  // the first two overlap: two rows in lane 0
  assert.deepEqual(found.tops, [0, 15 + 32, 47 + 15 + 16, 78 + 15 + 16]);
  assert.equal(found.label, 15);
  // Without lanes per tag: one lane, no label row, as the strip always was.
  assert.deepEqual(bands(layout, boxes, [0, 0, 0, 0], 1, false),
                   { rows: [0, 1, 0, 2], tops: [0, 48], label: 0 });
  // More rows than the layout's most: the box goes in row i modulo the most.
  const crowded = Array.from({ length: 7 }, () => [0, 10]);
  assert.deepEqual(bands(layout, crowded, crowded.map(() => 0), 1, true).rows,
                   [0, 1, 2, 3, 4, 0, 1]);
});
