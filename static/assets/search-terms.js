// How search cuts text into terms, for the query and for highlighting; the index was cut by
// the same rules at build time (generator/site/search_terms.py, line for line; a test runs
// both over one word list). Lower-case, cut at anything not a letter or number; an English
// word (a-z) loses its inflection by Porter's step 1 and his final -e (factories, factory ->
// factori); a Hangul word loses one particle when two syllables are left (개성공단에서 ->
// 개성공단). Other words are only lower-cased.

export const PARTICLES = [
  "에서부터", "으로부터", "에게서", "한테서", "으로서", "으로써", "이라는", "에서는", "에서도",
  "에서", "에게", "한테", "께서", "으로", "까지", "부터", "처럼", "보다", "마다", "라는", "이라",
  "에는", "에도", "와는", "과는", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과",
  "도", "만", "로", "나"
];
const WORD = /[\p{L}\p{N}]+/gu;
const ENGLISH = /^[a-z]{3,}$/;

export function words(text) {
  return text.toLowerCase().match(WORD) || [];
}

export function terms(text) {
  return words(text).map(processTerm);
}

export function processTerm(word) {
  const last = word.charCodeAt(word.length - 1);
  if (last >= 0xac00 && last <= 0xd7a3) {
    for (const particle of PARTICLES) {
      if ([...word].length - particle.length >= 2 && word.endsWith(particle)) {
        return word.slice(0, word.length - particle.length);
      }
    }
    return word;
  }
  return ENGLISH.test(word) ? stem(word) : word;
}

function consonant(word, i) {
  const letter = word[i];
  if ("aeiou".includes(letter)) return false;
  if (letter === "y") return i === 0 || !consonant(word, i - 1);
  return true;
}

function measure(stem) {
  let count = 0;
  let vowelSeen = false;
  for (let i = 0; i < stem.length; i++) {
    if (!consonant(stem, i)) {
      vowelSeen = true;
    } else if (vowelSeen) {
      count += 1;
      vowelSeen = false;
    }
  }
  return count;
}

function hasVowel(stem) {
  for (let i = 0; i < stem.length; i++) if (!consonant(stem, i)) return true;
  return false;
}

function endsCvc(stem) {
  const n = stem.length;
  return n >= 3 && consonant(stem, n - 3) && !consonant(stem, n - 2) &&
    consonant(stem, n - 1) && !"wxy".includes(stem[n - 1]);
}

export function stem(word) {
  if (word.endsWith("sses") || word.endsWith("ies")) {
    word = word.slice(0, -2);
  } else if (word.endsWith("s") && !word.endsWith("ss")) {
    word = word.slice(0, -1);
  }
  let cut = "";
  if (word.endsWith("eed")) {
    if (measure(word.slice(0, -3)) > 0) word = word.slice(0, -1);
  } else if (word.endsWith("ed") && hasVowel(word.slice(0, -2))) {
    word = word.slice(0, -2);
    cut = "ed";
  } else if (word.endsWith("ing") && hasVowel(word.slice(0, -3))) {
    word = word.slice(0, -3);
    cut = "ing";
  }
  if (cut) {
    const n = word.length;
    if (word.endsWith("at") || word.endsWith("bl") || word.endsWith("iz")) {
      word += "e";
    } else if (n >= 2 && word[n - 1] === word[n - 2] && consonant(word, n - 1) &&
               !"lsz".includes(word[n - 1])) {
      word = word.slice(0, -1);
    } else if (measure(word) === 1 && endsCvc(word)) {
      word += "e";
    }
  }
  if (word.endsWith("y") && hasVowel(word.slice(0, -1))) word = word.slice(0, -1) + "i";
  if (word.endsWith("e")) {
    const m = measure(word.slice(0, -1));
    if (m > 1 || (m === 1 && !endsCvc(word.slice(0, -1)))) word = word.slice(0, -1);
  }
  return word;
}
