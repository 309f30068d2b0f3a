// strings.js: filling, translating and plurals, as every script of a page shows them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { fill, makeStrings, loadTable } from "../../static/assets/strings.js";

test("fill puts each named value in and leaves unknown names as they are", () => {
  assert.equal(fill("Showing {shown} of {events}", { shown: "3", events: "9 events" }),
               "Showing 3 of 9 events");
  assert.equal(fill("page {number}"), "page {number}");
  assert.equal(fill("{a}{b}", { a: "x" }), "x{b}");
});

test("t translates by the English key, and shows the key until the table has it", () => {
  const s = makeStrings("ko", {});
  assert.equal(s.t("Link copied"), "Link copied");
  s.table = { "page {number}": "{number}쪽", "Text: ": 3 };
  assert.equal(s.t("page {number}", { number: "2" }), "2쪽");
  assert.equal(s.t("Text: "), "Text: ");  // only strings count as translations
});

test("plurals follow the language's CLDR categories, with the table's forms", () => {
  const en = makeStrings("en", {});
  assert.equal(en.events(1), "1 event");
  assert.equal(en.events(1234), "1,234 events");
  assert.equal(en.plural("matches", 0, { one: "{num} event matches",
                                         other: "{num} events match" }), "0 events match");
  const ko = makeStrings("ko", { events: { other: "사건 {num}건" } });
  assert.equal(ko.events(1), "사건 1건");  // Korean has no "one": its only form is "other"
  const ru = makeStrings("ru", { events: { one: "{num} событие", few: "{num} события",
                                           many: "{num} событий", other: "{num} события" } });
  assert.deepEqual([1, 3, 5, 21].map(ru.events),
                   ["1 событие", "3 события", "5 событий", "21 событие"]);
});

test("a strings file that cannot be had gives an empty table, never an error", async () => {
  const ok = () => Promise.resolve({ ok: true, json: () => Promise.resolve({ a: "b" }) });
  const missing = () => Promise.resolve({ ok: false, json: () => Promise.reject(new Error()) });
  const down = () => Promise.reject(new TypeError("offline"));
  assert.deepEqual(await loadTable("strings.json", ok), { a: "b" });
  assert.deepEqual(await loadTable("strings.json", missing), {});
  assert.deepEqual(await loadTable("strings.json", down), {});
});
