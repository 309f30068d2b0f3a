// Day numbers, as nav.json and the overview write them: year * 10000 + month * 100 + day
// (20170301 for 1 March 2017), and moments in years (1 March 2017 is 2017 + 2/12).

export function ymd(n) {
  const y = Math.floor(n / 10000);
  const rest = n - y * 10000;
  return [y, Math.floor(rest / 100), rest % 100];
}
export function dayNumber(y, m, d) { return y * 10000 + m * 100 + d; }
export function leap(y) { return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0; }
export function daysIn(y, m) {
  if (m === 2) return leap(y) ? 29 : 28;
  return [4, 6, 9, 11].indexOf(m) !== -1 ? 30 : 31;
}
export function moment(y, m, d) { return y + (m - 1) / 12 + (d - 1) / 372; }
export function startOf(n) { const d = ymd(n); return moment(d[0], d[1], d[2]); }
// The moment a day is over, as overview_time.py's day_end.
export function endOf(n) {
  const d = ymd(n);
  return d[2] >= daysIn(d[0], d[1]) ? d[0] + d[1] / 12 : moment(d[0], d[1], d[2]) + 1 / 372;
}
