// filter.js: the one test of an event against the filters, and the form's state.
import { test } from "node:test";
import assert from "node:assert/strict";
import { FIELDS, passes, formState, restoreForm } from "../../static/assets/filter.js";

const event = { id: "a", year: 2017, status: "confirmed", tags: ["kaesong", "un"],
                places: ["pyongyang"] };

test("each filter field excludes what it names, and all of them together", () => {
  assert.equal(passes({}, null, event), true);
  assert.equal(passes({ tag: "un" }, null, event), true);
  assert.equal(passes({ tag: "sanctions" }, null, event), false);
  assert.equal(passes({ place: "seoul" }, null, event), false);
  assert.equal(passes({ status: "reported" }, null, event), false);
  assert.equal(passes({ from: "2018" }, null, event), false);
  assert.equal(passes({ to: "2016" }, null, event), false);
  assert.equal(passes({ from: "2017", to: "2017", tag: "kaesong" }, null, event), true);
});

test("a query passes only the search's matches, and everything while none are known", () => {
  assert.equal(passes({ q: "x" }, new Set(["a"]), event), true);
  assert.equal(passes({ q: "x" }, new Set(["b"]), event), false);
  assert.equal(passes({ q: "x" }, null, event), true);
});

function fakeForm(values, options) {
  const elements = {};
  FIELDS.forEach((name) => {
    const field = { tagName: name === "q" ? "INPUT" : "SELECT", _value: values[name] || "" };
    Object.defineProperty(field, "value", {
      get() { return this._value; },
      set(v) { this._value = this.tagName === "SELECT" && !options.includes(v) ? "" : v; }
    });
    elements[name] = field;
  });
  return { elements };
}

test("the form's state is its filled fields, trimmed", () => {
  const form = fakeForm({ q: "  sanctions ", tag: "un" }, ["", "un"]);
  assert.deepEqual(formState(form), { q: "sanctions", tag: "un" });
});

test("the URL sets the form; a choice the form does not offer stays empty", () => {
  const form = fakeForm({}, ["", "un", "2017"]);
  restoreForm(form, "?q=kaesong&tag=nope&from=2017");
  assert.deepEqual(formState(form), { q: "kaesong", from: "2017" });
});
