// days.js: nav.json's day numbers and the moments the strip places them at.
import { test } from "node:test";
import assert from "node:assert/strict";
import { ymd, dayNumber, daysIn, moment, startOf, endOf } from "../../static/assets/days.js";

test("day numbers split into year, month and day, before year 1 too", () => {
  assert.deepEqual(ymd(20170301), [2017, 3, 1]);
  assert.equal(dayNumber(2017, 3, 1), 20170301);
  assert.deepEqual(ymd(dayNumber(-39, 12, 31)), [-39, 12, 31]);
});

test("months have their days, February by the Gregorian leap years", () => {
  assert.deepEqual([2000, 1900, 2024, 2023].map((y) => daysIn(y, 2)), [29, 28, 29, 28]);
  assert.deepEqual([1, 4, 6, 9, 11, 12].map((m) => daysIn(2017, m)), [31, 30, 30, 30, 30, 31]);
});

test("a day starts at its moment and a month's last day ends where the next month starts", () => {
  assert.equal(startOf(20170301), 2017 + 2 / 12);
  assert.equal(endOf(20170228), 2017 + 2 / 12);
  assert.equal(endOf(20170301), moment(2017, 3, 1) + 1 / 372);
  assert.equal(endOf(20161231), 2017);
});
