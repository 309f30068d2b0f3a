// format.js: numbers and dates through Intl, years before 1 through the strings.
import { test } from "node:test";
import assert from "node:assert/strict";
import { numberFormatter, dateLabels, day } from "../../static/assets/format.js";
import { makeStrings } from "../../static/assets/strings.js";

test("numbers are written as the language does, by one formatter per language", () => {
  assert.equal(numberFormatter("en")(1234567), "1,234,567");
  assert.equal(numberFormatter("de")(1234567), "1.234.567");
  assert.equal(numberFormatter("en"), numberFormatter("en"));
});

test("a day of any year, the first centuries included", () => {
  assert.equal(day(45, 3, 15).getFullYear(), 45);  // not 1945
  assert.equal(day(-39, 1, 1).getFullYear(), -39);
});

test("years, months and ranges have their names; before year 1 they say BCE", () => {
  const en = dateLabels("en", makeStrings("en", {}).t);
  assert.equal(en.yearLabel(2017), "2017");
  assert.equal(en.yearLabel(-39), "40 BCE");  // no year 0: astronomical -39 is 40 BCE
  assert.equal(en.monthLabel(2017, 3), "March 2017");
  assert.equal(en.monthName(2017, 3, "short"), "Mar");
  assert.equal(en.years(2019, 2019), "2019");
  assert.equal(en.years(2019, 2021), "2019 – 2021");
  assert.equal(en.daysLabel(-39, 3, 1, 7), "1–7 March 40 BCE");
  const ko = dateLabels("ko", makeStrings("ko", { "{year} BCE": "기원전 {year}년" }).t);
  assert.equal(ko.yearLabel(-39), "기원전 40년");
  assert.equal(ko.monthLabel(2017, 3), "2017년 3월");
});

test("a week's days read as one range in the language", () => {
  const en = dateLabels("en", makeStrings("en", {}).t);
  const range = en.daysLabel(2019, 3, 22, 31);
  assert.match(range, /^March 22\s*–\s*31, 2019$/);
});
