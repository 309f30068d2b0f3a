// filter.js and asked.js: what a URL asks for that the form does not offer, and why it
// shows nothing, with the nearest years that have events.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIELDS, unoffered, nearestYears, anyInside, restoreForm } from "../../static/assets/filter.js";
import { reasons } from "../../static/assets/asked.js";

function fakeForm(options) {
  const elements = {};
  FIELDS.forEach((name) => {
    const field = { tagName: name === "q" ? "INPUT" : "SELECT", _value: "" };
    Object.defineProperty(field, "value", {
      get() { return this._value; },
      set(v) { this._value = this.tagName === "SELECT" && v && !options.includes(v) ? "" : v; }
    });
    elements[name] = field;
  });
  return { elements };
}

test("what the URL asks for and the form does not offer is named", () => {
  const form = fakeForm(["un", "2017", "2019"]);
  restoreForm(form, "?q=x&tag=nope&from=2018&to=2019");
  assert.deepEqual(unoffered(form, "?q=x&tag=nope&from=2018&to=2019"),
                   [{ name: "tag", value: "nope" }, { name: "from", value: "2018" }]);
  restoreForm(form, "?tag=un");
  assert.deepEqual(unoffered(form, "?tag=un"), []);
});

test("the nearest years with events lie on either side of the asked range", () => {
  const years = [2013, 2017, 2019, 2021];
  assert.deepEqual(nearestYears(years, 2018, 2018), { before: 2017, after: 2019 });
  assert.deepEqual(nearestYears(years, 2030, Infinity), { before: 2021, after: null });
  assert.deepEqual(nearestYears(years, -Infinity, 2000), { before: null, after: 2013 });
  assert.equal(anyInside(years, 2018, 2018), false);
  assert.equal(anyInside(years, 2018, 2019), true);
  assert.equal(anyInside(years, null, 2013), true);
  assert.equal(anyInside(years, 2022, null), false);
});

test("a state asking for nothing gives its reasons; one asking for something gives none", () => {
  const years = [2017, 2019];
  const known = { tag: ["un"], place: ["seoul"], status: ["confirmed"] };
  assert.deepEqual(reasons({ from: "2018", to: "2018", tag: "nope" }, years, known), [
    { years: [2018, 2018], before: 2017, after: 2019 }, { name: "tag", value: "nope" }]);
  assert.deepEqual(reasons({ from: "2020" }, years, known),
                   [{ years: [2020, null], before: 2019, after: null }]);
  assert.deepEqual(reasons({ status: "rumoured", place: "seoul" }, years, known),
                   [{ name: "status", value: "rumoured" }]);
  assert.deepEqual(reasons({ from: "2017", to: "2019", tag: "un", q: "x" }, years, known), []);
});
