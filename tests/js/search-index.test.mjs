// search-index.js: the prebuilt index's parts as the browser reads them.
import { test } from "node:test";
import assert from "node:assert/strict";
import { keyOf, shardOf, decode, find, parse } from "../../static/assets/search-index.js";

test("a term lives in the file its first two characters hash to, as search_index.py says", () => {
  assert.equal(keyOf("kaesong"), "ka");
  assert.equal(keyOf("𝐀𝐁𝐂"), "𝐀𝐁");  // characters, not UTF-16 halves
  assert.equal(shardOf("ka", 16), 1);      // shard_of("ka", 16) in search_index.py
  assert.equal(shardOf("개성", 16), 14);
});

test("a term's gaps decode to its events in order, each with where it is found", () => {
  const found = decode([[2, 3], [1], []]);  // shown in 2 and 5, in the text of 1
  assert.deepEqual(Array.from(found.events), [1, 2, 5]);
  assert.deepEqual(Array.from(found.where), [1, 0, 0]);
  assert.equal(find(found.events, 5), 2);
  assert.equal(find(found.events, 3), -1);
});

test("a query's words look for longer terms from three characters, two for the last typed", () => {
  assert.deepEqual(parse("un sanctions"), [
    { raw: "un", term: "un", prefix: false }, { raw: "sanctions", term: "sanction", prefix: true }]);
  assert.deepEqual(parse("un "), [{ raw: "un", term: "un", prefix: false }]);
  assert.deepEqual(parse("개성공단에서 un"), [
    { raw: "개성공단에서", term: "개성공단", prefix: true }, { raw: "un", term: "un", prefix: true }]);
});
