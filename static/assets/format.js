// Numbers and dates in the page's language, through the browser's CLDR data (Intl): one
// formatter per language and style, made once (toLocaleString makes one per call: 65 ms a
// keystroke over thousands of rows). Years before 1 are "{year} BCE" from the strings.

const numberFormats = new Map();
const dateFormats = new Map();

// A function that writes a number as the language does ("1,234"; "1.234" in German).
export function numberFormatter(lang) {
  if (!numberFormats.has(lang)) {
    const f = typeof Intl !== "undefined" && Intl.NumberFormat ? new Intl.NumberFormat(lang) : null;
    numberFormats.set(lang, function (n) { return f ? f.format(n) : String(n); });
  }
  return numberFormats.get(lang);
}

function dateFormat(lang, options) {
  const key = lang + " " + JSON.stringify(options);
  if (!dateFormats.has(key)) dateFormats.set(key, new Intl.DateTimeFormat(lang, options));
  return dateFormats.get(key);
}

// A Date for any proleptic Gregorian day, years 0 to 99 and before included.
export function day(y, m, d) {
  const x = new Date(2000, 0, 1);
  x.setFullYear(y, m - 1, d);
  return x;
}

// The names of years, months, ranges and weeks; ``t`` translates "{year} BCE" and the
// range "{start} – {end}".
export function dateLabels(lang, t) {
  function format(options, y, m, d) {
    return dateFormat(lang, options).format(day(y, m || 1, d || 1));
  }
  function yearLabel(y) {
    return y > 0 ? format({ year: "numeric" }, y) : t("{year} BCE", { year: 1 - y });
  }
  function monthName(y, m, style) { return format({ month: style || "long" }, y, m); }
  function monthLabel(y, m) {
    return y > 0 ? format({ year: "numeric", month: "long" }, y, m)
      : monthName(y, m) + " " + yearLabel(y);
  }
  function years(a, b) {
    return a === b ? yearLabel(a) : t("{start} – {end}", { start: yearLabel(a),
                                                            end: yearLabel(b) });
  }
  // Days ``first`` to ``last`` of a month: "1 – 7 March 2019" as the language says it.
  function daysLabel(y, m, first, last) {
    const f = dateFormat(lang, { year: "numeric", month: "long", day: "numeric" });
    if (y > 0 && f.formatRange) return f.formatRange(day(y, m, first), day(y, m, last));
    return first + "–" + last + " " + monthLabel(y, m);
  }
  return { yearLabel: yearLabel, monthName: monthName, monthLabel: monthLabel, years: years,
           daysLabel: daysLabel };
}
