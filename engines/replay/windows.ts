/**
 * Named market windows that {@link replayWindow} replays on today's holdings. Dates are trading
 * dates (ISO yyyy-mm-dd): `start` is the base close the window is measured from, `end` its last
 * close; both inclusive.
 */
export interface ReplayWindow {
  /** Stable snake_case identifier (stored with results). */
  key: string;
  name: string;
  start: string;
  end: string;
  description: string;
}

/**
 * The replay catalogue, oldest first.
 * @example NAMED_REPLAY_WINDOWS.find((w) => w.key === 'covid_crash')?.end // '2020-03-23'
 */
export const NAMED_REPLAY_WINDOWS: readonly ReplayWindow[] = Object.freeze([
  {
    key: 'covid_crash', name: 'Covid crash', start: '2020-02-19', end: '2020-03-23',
    description: 'From the S&P 500 record close to the March 2020 low: the fastest bear market on record, VIX above 80 and the 10-year yield below 1 %.',
  },
  {
    key: 'rates_bear_2022', name: '2022 rates and bear market', start: '2022-01-03', end: '2022-10-12',
    description: 'The 2022 tightening cycle: the 10-year yield from about 1.6 % to 3.9 %, equities and long bonds falling together, growth and technology hit hardest.',
  },
  {
    key: 'regional_banks_2023', name: 'Regional banks', start: '2023-03-08', end: '2023-03-15',
    description: 'Silicon Valley Bank and Signature Bank fail: regional banks sell off, yields fall sharply on a flight to quality.',
  },
  {
    key: 'carry_unwind_2024', name: 'Carry unwind', start: '2024-07-16', end: '2024-08-05',
    description: 'The yen carry trade unwinds after the Bank of Japan hike: a rotation out of mega-cap technology ending in a one-day VIX spike above 38.',
  },
  {
    key: 'tariff_shock_2025', name: 'Tariff shock', start: '2025-04-02', end: '2025-04-08',
    description: 'The April 2025 reciprocal-tariff announcement: a two-day equity crash, VIX above 50 and the 10-year yield dropping below 4 % before jumping back.',
  },
].map((w) => Object.freeze(w)));
