// How search splits text into terms, for the index and the query alike (loaded with
// MiniSearch, on first use). Korean attaches particles to words (개성공단에서 = 개성공단 +
// 에서): a Hangul word loses one particle from its end, when at least two syllables are
// left, so a word finds its other forms. Other scripts are only lower-cased.

const PARTICLES = [
  "에서부터", "으로부터", "에게서", "한테서", "으로서", "으로써", "이라는", "에서는", "에서도",
  "에서", "에게", "한테", "께서", "으로", "까지", "부터", "처럼", "보다", "마다", "라는", "이라",
  "에는", "에도", "와는", "과는", "은", "는", "이", "가", "을", "를", "의", "에", "와", "과",
  "도", "만", "로", "나"
];
const HANGUL_END = /[\uac00-\ud7a3]$/;

export function processTerm(term) {
  const lower = term.toLowerCase();
  if (!HANGUL_END.test(lower)) return lower;
  for (const particle of PARTICLES) {
    const rest = lower.length - particle.length;
    if (rest >= 2 && lower.endsWith(particle)) return lower.slice(0, rest);
  }
  return lower;
}
