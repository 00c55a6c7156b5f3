/**
 * The bundled sample retail dataset: customers (demographics, geography, survey answers)
 * and three years of orders with refunds. Pure and deterministic for a seed; no I/O.
 *
 * Behaviour follows the story a BG/NBD model assumes: each customer buys at their own
 * gamma-distributed rate (modulated by a shared retail calendar) and may drop out for good
 * after any purchase with their own probability, drawn from a two-part beta mixture (trial
 * shoppers who rarely come back, regulars who seldom leave). Spend per order is log-normal
 * around a per-customer level set by income, times a per-category median.
 */
import { Bool, DateDay, Field, RecordBatch, Schema, Struct, Table, Utf8, makeData, makeVector, vectorFromArray, type Vector } from 'apache-arrow';
import { createRandom, type Random } from './random';

/** The seed of the committed sample files. */
export const SAMPLE_SEED = 20261122;

const DAY_MS = 86_400_000;

/** Days since 1970-01-01 (the Arrow Date32 / DuckDB DATE encoding) of an ISO date 'YYYY-MM-DD'. */
export function dayNumber(iso: string): number {
  const [y, m, d] = iso.split('-').map(Number);
  return Date.UTC(y, m - 1, d) / DAY_MS;
}

/** The ISO date 'YYYY-MM-DD' of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/** First and last day (inclusive) that orders may fall on. */
export const ORDER_RANGE = { start: dayNumber('2023-01-01'), end: dayNumber('2025-12-31') } as const;

/** Customers joined before the orders begin; their pre-2023 purchases are simulated, not kept. */
const SIGNUP_START = dayNumber('2022-01-01');

/** Column arrays of the customers table, one entry per customer. Dates are day numbers. */
export interface CustomerColumns {
  customer_id: string[];
  signup_date: Int32Array;
  age: Int32Array;
  gender: string[];
  city: string[];
  province: string[];
  country: string[];
  city_tier: string[];
  urban_rural: string[];
  income_band: string[];
  occupation: string[];
  education: string[];
  lifestyle: string[];
  price_sensitivity: string[];
  brand_loyalty: string[];
}

/** Column arrays of the orders table (purchases and refund rows), sorted by date. */
export interface OrderColumns {
  order_id: string[];
  customer_id: string[];
  order_date: Int32Array;
  amount: Float64Array;
  channel: string[];
  category: string[];
  discount: boolean[];
}

/** Both tables of the sample dataset. */
export interface SampleData {
  customers: CustomerColumns;
  orders: OrderColumns;
}

/** Options of {@link generateSampleData}. */
export interface SampleOptions {
  /** Seed of the whole dataset (default {@link SAMPLE_SEED}). */
  seed?: number;
  /** Number of customers (default 5000; at most 99,999). */
  customers?: number;
}

// ---------------------------------------------------------------------------------------------
// Vocabularies

/** Income bands, monthly CNY, lowest first. */
export const INCOME_BANDS = ['<5k', '5k-10k', '10k-20k', '20k-50k', '50k+'] as const;
/** Product categories of the orders table. */
export const CATEGORIES = ['Apparel', 'Beauty', 'Electronics', 'Home', 'Grocery', 'Sports', 'Books', 'Toys'] as const;
/** Sales channels of the orders table. */
export const CHANNELS = ['online', 'store', 'app'] as const;
/** Answers of the lifestyle survey question. */
export const LIFESTYLES = ['Outdoor', 'Homebody', 'Trendsetter', 'Family-first', 'Career-driven'] as const;
/** Occupations, one per customer. */
export const OCCUPATIONS = [
  'Student',
  'Office worker',
  'Professional',
  'Manager',
  'Self-employed',
  'Service worker',
  'Manual worker',
  'Retired',
] as const;
/** Highest education levels, lowest first. */
export const EDUCATIONS = ['High school or below', 'Associate', "Bachelor's", "Master's", 'Doctorate'] as const;
const LEVELS = ['Low', 'Medium', 'High'] as const;
const TIERS = ['Tier 1', 'Tier 2', 'Tier 3', 'Tier 4'] as const;

type Category = (typeof CATEGORIES)[number];
type Lifestyle = (typeof LIFESTYLES)[number];
type Occupation = (typeof OCCUPATIONS)[number];

interface Place {
  city: string;
  province: string;
  country: string;
  tier: number; // 0-based index into TIERS
  weight: number;
}

const china = (tier: number, list: [string, string, number?][]): Place[] =>
  list.map(([city, province, weight = 1]) => ({ city, province, country: 'China', tier, weight }));

/** Share of Chinese customers per city tier; the rest of the weight goes abroad. */
const TIER_SHARE = [0.26, 0.38, 0.2, 0.16];
const ABROAD_SHARE = 0.035;

const CHINA_PLACES: Place[][] = [
  china(0, [['Shanghai', 'Shanghai', 3], ['Beijing', 'Beijing', 3], ['Guangzhou', 'Guangdong', 2.2], ['Shenzhen', 'Guangdong', 2.3]]),
  china(1, [
    ['Chengdu', 'Sichuan', 2.2], ['Hangzhou', 'Zhejiang', 2], ['Chongqing', 'Chongqing', 2], ['Wuhan', 'Hubei', 1.8],
    ["Xi'an", 'Shaanxi', 1.5], ['Suzhou', 'Jiangsu', 1.5], ['Nanjing', 'Jiangsu', 1.5], ['Tianjin', 'Tianjin', 1.4],
    ['Changsha', 'Hunan', 1.3], ['Zhengzhou', 'Henan', 1.3], ['Qingdao', 'Shandong', 1.1], ['Dongguan', 'Guangdong'],
    ['Shenyang', 'Liaoning'], ['Hefei', 'Anhui'], ['Kunming', 'Yunnan', 0.9], ['Ningbo', 'Zhejiang', 0.9],
    ['Jinan', 'Shandong', 0.9], ['Harbin', 'Heilongjiang', 0.9], ['Xiamen', 'Fujian', 0.8], ['Fuzhou', 'Fujian', 0.8],
  ]),
  china(2, [
    ['Luoyang', 'Henan'], ['Guilin', 'Guangxi'], ['Yangzhou', 'Jiangsu'], ['Mianyang', 'Sichuan'], ['Weifang', 'Shandong'],
    ['Baoding', 'Hebei'], ['Yichang', 'Hubei'], ['Ganzhou', 'Jiangxi'], ['Zunyi', 'Guizhou'], ['Datong', 'Shanxi'],
    ['Shantou', 'Guangdong'], ['Wuhu', 'Anhui'],
  ]),
  china(3, [
    ['Anshun', 'Guizhou'], ['Tianshui', 'Gansu'], ['Shaoguan', 'Guangdong'], ['Nanchong', 'Sichuan'], ['Zhoukou', 'Henan'],
    ['Heze', 'Shandong'], ['Xinyang', 'Henan'], ['Chuzhou', 'Anhui'], ['Qujing', 'Yunnan'], ['Hengshui', 'Hebei'],
    ['Tongliao', 'Inner Mongolia'],
  ]),
];

/** Customers abroad (overseas Chinese, expats): big cities, classed as Tier 1, no stores nearby. */
const ABROAD_PLACES: Place[] = [
  ['Singapore', 'Singapore', 'Singapore', 3],
  ['Kuala Lumpur', 'Kuala Lumpur', 'Malaysia', 2.5],
  ['Tokyo', 'Tokyo', 'Japan', 1.5],
  ['Sydney', 'New South Wales', 'Australia', 1.5],
  ['Vancouver', 'British Columbia', 'Canada', 1.5],
  ['San Francisco', 'California', 'United States', 1],
  ['New York', 'New York', 'United States', 1],
  ['London', 'England', 'United Kingdom', 1],
].map(([city, province, country, weight]) => ({
  city: city as string,
  province: province as string,
  country: country as string,
  tier: 0,
  weight: weight as number,
}));

const ALL_PLACES: Place[] = [...CHINA_PLACES.flat(), ...ABROAD_PLACES];
const PLACE_WEIGHTS: number[] = [
  ...CHINA_PLACES.flatMap((places, tier) => {
    const sum = places.reduce((s, p) => s + p.weight, 0);
    return places.map((p) => ((1 - ABROAD_SHARE) * TIER_SHARE[tier] * p.weight) / sum);
  }),
  ...(() => {
    const sum = ABROAD_PLACES.reduce((s, p) => s + p.weight, 0);
    return ABROAD_PLACES.map((p) => (ABROAD_SHARE * p.weight) / sum);
  })(),
];

// Median order value (CNY), its log-spread, and the chance an order is refunded, per category.
const CATEGORY_MEDIAN = [220, 160, 850, 280, 110, 240, 65, 140];
const CATEGORY_SIGMA = [0.55, 0.5, 0.75, 0.65, 0.45, 0.6, 0.4, 0.5];
const REFUND_RATE = [0.055, 0.03, 0.045, 0.03, 0.008, 0.035, 0.012, 0.025];
const CATEGORY_BASE = [1.2, 0.8, 0.5, 0.8, 1.3, 0.6, 0.5, 0.4];

// ---------------------------------------------------------------------------------------------
// The retail calendar

/** Chinese New Year's day in each year the simulation covers. */
const NEW_YEAR_DAYS = ['2022-02-01', '2023-01-22', '2024-02-10', '2025-01-29'].map(dayNumber);
const MONTH_FACTOR = [0.95, 0.9, 1.0, 0.95, 1.0, 1.1, 0.95, 0.95, 1.0, 1.05, 1.3, 1.25];

/** Relative shopping intensity on a day: 11.11, 12.12, 618, pre-New-Year rush and holiday lull. */
function seasonality(day: number): number {
  const d = new Date(day * DAY_MS);
  const month = d.getUTCMonth() + 1;
  const date = d.getUTCDate();
  const weekday = d.getUTCDay();
  let f = MONTH_FACTOR[month - 1];
  if (weekday === 0 || weekday === 6) f *= 1.12;
  if (month === 11 && date <= 11) f *= date === 11 ? 4 : date >= 8 ? 1.8 : 1.3;
  if (month === 12 && date === 12) f *= 2.2;
  if (month === 12 && date >= 20) f *= 1.2;
  if (month === 6 && date <= 18) f *= date === 18 ? 2.5 : 1.25;
  for (const ny of NEW_YEAR_DAYS) {
    const k = day - ny;
    if (k >= -21 && k <= -4) f *= 1.35;
    else if (k >= -3 && k <= 6) f *= 0.45;
    else if (k >= 7 && k <= 13) f *= 0.85;
  }
  return f;
}

/** Whether a day falls in a promotion window (more discounted orders). */
function isPromotion(day: number): boolean {
  const d = new Date(day * DAY_MS);
  const month = d.getUTCMonth() + 1;
  const date = d.getUTCDate();
  if ((month === 11 && date <= 11) || (month === 12 && date === 12) || (month === 6 && date <= 18)) return true;
  return NEW_YEAR_DAYS.some((ny) => day - ny >= -21 && day - ny <= -4);
}

interface Calendar {
  season: Float64Array; // seasonality per day from SIGNUP_START
  promo: Uint8Array;
  max: number;
}

function buildCalendar(): Calendar {
  const n = ORDER_RANGE.end - SIGNUP_START + 1;
  const season = new Float64Array(n);
  const promo = new Uint8Array(n);
  let max = 0;
  for (let i = 0; i < n; i++) {
    season[i] = seasonality(SIGNUP_START + i);
    promo[i] = isPromotion(SIGNUP_START + i) ? 1 : 0;
    max = Math.max(max, season[i]);
  }
  return { season, promo, max };
}

// ---------------------------------------------------------------------------------------------
// Customers

interface Customer {
  signup: number;
  age: number;
  gender: string;
  place: Place;
  urban: boolean;
  income: number; // index into INCOME_BANDS
  occupation: Occupation;
  education: number; // index into EDUCATIONS
  lifestyle: Lifestyle;
  priceSensitivity: number; // index into LEVELS
  loyalty: number; // index into LEVELS
}

/** Signup days: a few from 2022, then growing acquisition with a bump around the sales festivals. */
function drawSignups(rng: Random, n: number): number[] {
  const days: number[] = [];
  const span = ORDER_RANGE.end - ORDER_RANGE.start;
  for (let i = 0; i < n; i++) {
    if (rng.bernoulli(0.15)) {
      days.push(rng.int(SIGNUP_START, ORDER_RANGE.start - 1));
      continue;
    }
    for (;;) {
      const day = rng.int(ORDER_RANGE.start, ORDER_RANGE.end);
      const month = new Date(day * DAY_MS).getUTCMonth() + 1;
      const density = (1 + (0.5 * (day - ORDER_RANGE.start)) / span) * (month === 11 ? 1.5 : month === 6 ? 1.2 : 1);
      if (rng.next() * 3 < density) {
        days.push(day);
        break;
      }
    }
  }
  return days.sort((a, b) => a - b);
}

const TIER_SES = [0.6, 0.25, -0.15, -0.45];
const EDU_INCOME = [-0.35, -0.1, 0.15, 0.45, 0.6];
const OCC_INCOME: Record<Occupation, number> = {
  Student: -1.2,
  'Office worker': 0,
  Professional: 0.3,
  Manager: 0.6,
  'Self-employed': 0.2,
  'Service worker': -0.25,
  'Manual worker': -0.2,
  Retired: -0.45,
};

function drawCustomer(rng: Random, signup: number): Customer {
  const place = ALL_PLACES[rng.weightedIndex(PLACE_WEIGHTS)];
  const abroad = place.country !== 'China';
  const urban = rng.bernoulli(abroad ? 0.97 : [0.95, 0.85, 0.65, 0.45][place.tier]);

  let age: number;
  do age = 18 + Math.round(rng.gamma(3, 6.5));
  while (age > 80);
  const gender = rng.weighted(['Female', 'Male', 'Other'], [0.52, 0.46, 0.02]);

  // A latent socio-economic score ties education, occupation and income to place and age.
  const ses = rng.normal() + TIER_SES[place.tier] + (urban ? 0.2 : -0.4) + (abroad ? 0.5 : 0);
  const eduScore = ses - (age > 50 ? (age - 50) / 12 : 0) + rng.normal(0, 0.6);
  let education = eduScore < -0.7 ? 0 : eduScore < 0.1 ? 1 : eduScore < 1.3 ? 2 : eduScore < 2.3 ? 3 : 4;
  education = Math.min(education, age < 21 ? 0 : age < 23 ? 1 : age < 25 ? 2 : age < 28 ? 3 : 4);

  const occupation = drawOccupation(rng, age, education, urban);
  const ageEffect = (-0.5 * (age - 42) ** 2) / 900;
  const tierIncome = abroad ? 0.6 : [0.45, 0.2, -0.05, -0.25][place.tier];
  const spread = occupation === 'Self-employed' ? 0.8 : 0.55;
  const logIncome =
    Math.log(6500) + EDU_INCOME[education] + OCC_INCOME[occupation] + tierIncome + (urban ? 0 : -0.25) + ageEffect + rng.normal(0, spread);
  const monthly = Math.exp(logIncome);
  const income = monthly < 5000 ? 0 : monthly < 10000 ? 1 : monthly < 20000 ? 2 : monthly < 50000 ? 3 : 4;

  const priceSensitivity = rng.weightedIndex(
    [
      [0.1, 0.3, 0.6],
      [0.2, 0.45, 0.35],
      [0.35, 0.45, 0.2],
      [0.55, 0.35, 0.1],
      [0.7, 0.25, 0.05],
    ][income],
  );
  const lifestyle = rng.weighted(
    LIFESTYLES, // Outdoor, Homebody, Trendsetter, Family-first, Career-driven
    age < 30 ? [0.15, 0.15, 0.35, 0.1, 0.25] : age < 45 ? [0.15, 0.13, 0.12, 0.35, 0.25] : age < 60 ? [0.2, 0.25, 0.08, 0.35, 0.12] : [0.25, 0.4, 0.03, 0.3, 0.02],
  );
  const loyaltyScore = (age - 40) / 25 + [0.4, 0, -0.6][priceSensitivity] + rng.normal(0, 0.8);
  const loyalty = loyaltyScore < -0.5 ? 0 : loyaltyScore < 0.6 ? 1 : 2;

  return { signup, age, gender, place, urban, income, occupation, education, lifestyle, priceSensitivity, loyalty };
}

function drawOccupation(rng: Random, age: number, education: number, urban: boolean): Occupation {
  if (age <= 24 && rng.bernoulli(age <= 21 ? 0.85 : 0.5)) return 'Student';
  if (age >= 60 && rng.bernoulli(age >= 65 ? 0.9 : 0.65)) return 'Retired';
  // Office, Professional, Manager, Self-employed, Service, Manual
  const byEducation = [
    [0.1, 0.02, 0.02, 0.15, 0.34, 0.37],
    [0.3, 0.1, 0.05, 0.15, 0.25, 0.15],
    [0.35, 0.3, 0.15, 0.1, 0.08, 0.02],
    [0.17, 0.45, 0.28, 0.1, 0, 0],
    [0.1, 0.6, 0.2, 0.1, 0, 0],
  ][education].slice();
  if (age < 28) byEducation[2] *= 0.3;
  if (!urban) byEducation[5] *= 2;
  const jobs: Occupation[] = ['Office worker', 'Professional', 'Manager', 'Self-employed', 'Service worker', 'Manual worker'];
  return jobs[rng.weightedIndex(byEducation)];
}

// ---------------------------------------------------------------------------------------------
// Orders

interface Purchase {
  customer: number;
  day: number;
  amount: number;
  channel: number;
  category: number;
  discount: boolean;
  refundDay: number; // -1: not refunded
  refundAmount: number;
}

const LIFESTYLE_CATEGORY: Record<Lifestyle, Partial<Record<Category, number>>> = {
  Outdoor: { Sports: 2.5, Apparel: 1.1 },
  Homebody: { Home: 1.6, Books: 1.5, Grocery: 1.3 },
  Trendsetter: { Apparel: 1.8, Beauty: 1.5, Electronics: 1.4 },
  'Family-first': { Toys: 3, Grocery: 1.5, Home: 1.3 },
  'Career-driven': { Electronics: 1.5, Books: 1.4, Apparel: 1.2 },
};

function categoryWeights(rng: Random, c: Customer): number[] {
  return CATEGORIES.map((cat, i) => {
    let w = CATEGORY_BASE[i] * (LIFESTYLE_CATEGORY[c.lifestyle][cat] ?? 1);
    if (c.gender === 'Female') w *= cat === 'Beauty' ? 2.2 : cat === 'Apparel' ? 1.3 : cat === 'Electronics' ? 0.7 : 1;
    if (c.gender === 'Male') w *= cat === 'Electronics' ? 1.8 : cat === 'Sports' ? 1.4 : cat === 'Beauty' ? 0.35 : 1;
    if (cat === 'Toys') w *= c.age < 25 ? 0.3 : c.age <= 45 ? 1.5 : c.age >= 58 ? 1.2 : 1;
    if (cat === 'Electronics' && c.age >= 60) w *= 0.5;
    return w * rng.gamma(1.5, 1 / 1.5);
  });
}

function channelWeights(c: Customer): number[] {
  // online, store, app
  if (c.place.country !== 'China') return [0.6, 0, 0.4];
  const w = c.age < 30 ? [0.35, 0.15, 0.5] : c.age < 50 ? [0.35, 0.3, 0.35] : [0.25, 0.55, 0.2];
  if (!c.urban) w[1] *= 1.6;
  return w;
}

/** Simulates one customer's purchases (BG/NBD-style) and their refunds. */
function simulateCustomer(rng: Random, index: number, c: Customer, cal: Calendar, out: Purchase[]): void {
  if (rng.bernoulli(0.02)) return; // registered, never bought
  const loyaltyRate = [0.8, 1, 1.3][c.loyalty];
  const incomeRate = [0.85, 0.95, 1.05, 1.15, 1.2][c.income];
  const rate = Math.min(0.3, rng.gamma(2, 0.042) * loyaltyRate * incomeRate); // purchases per day when active
  const trial = rng.bernoulli(0.53); // trial shoppers mostly leave after their first purchase
  const dropout = Math.min(0.97, (trial ? rng.beta(8, 1.5) : rng.beta(2, 80)) * [1.3, 1, 0.6][c.loyalty]);

  const categories = categoryWeights(rng, c);
  const channels = channelWeights(c);
  const preferred = rng.weightedIndex(channels);
  const multiChannel = rng.bernoulli(0.3);
  const spendLevel = rng.lognormal(0, 0.25) * [0.7, 0.9, 1.1, 1.4, 1.9][c.income];
  const discountRate = [0.1, 0.22, 0.4][c.priceSensitivity];

  const end = ORDER_RANGE.end + 1;
  let t = c.signup + (rng.bernoulli(0.6) ? 0 : 1 + rng.geometric(0.08)) + rng.next();
  while (t < end) {
    const day = Math.floor(t);
    if (day >= ORDER_RANGE.start) out.push(makePurchase(rng, index, day, cal, categories, channels, preferred, multiChannel, spendLevel, discountRate));
    if (rng.bernoulli(dropout)) return;
    // Thinning: candidate times at the peak rate, kept in proportion to the day's seasonality.
    do t += rng.exponential(rate * cal.max);
    while (t < end && rng.next() * cal.max >= cal.season[Math.floor(t) - SIGNUP_START]);
  }
}

function makePurchase(
  rng: Random,
  customer: number,
  day: number,
  cal: Calendar,
  categories: number[],
  channels: number[],
  preferred: number,
  multiChannel: boolean,
  spendLevel: number,
  discountRate: number,
): Purchase {
  const category = rng.weightedIndex(categories);
  const channel = multiChannel ? rng.weightedIndex(channels) : rng.bernoulli(0.85) ? preferred : rng.weightedIndex(channels);
  const discount = rng.bernoulli(discountRate + (cal.promo[day - SIGNUP_START] ? 0.25 : 0));
  let amount = rng.lognormal(Math.log(CATEGORY_MEDIAN[category] * spendLevel), CATEGORY_SIGMA[category]);
  if (discount) amount *= rng.uniform(0.7, 0.9);
  amount = Math.max(1, cents(amount));

  let refundDay = -1;
  let refundAmount = 0;
  if (rng.bernoulli(REFUND_RATE[category])) {
    refundDay = day + 1 + Math.min(44, rng.geometric(1 / 8));
    refundAmount = rng.bernoulli(0.75) ? -amount : -Math.max(1, cents(amount * rng.uniform(0.2, 0.7)));
    if (refundDay > ORDER_RANGE.end) refundDay = -1; // not refunded yet when the data was cut
  }
  return { customer, day, amount, channel, category, discount, refundDay, refundAmount };
}

function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

// ---------------------------------------------------------------------------------------------
// Assembly

/** Builds the sample dataset's two tables as column arrays; the same seed gives the same data. */
export function generateSampleData(options: SampleOptions = {}): SampleData {
  const seed = options.seed ?? SAMPLE_SEED;
  const n = options.customers ?? 5000;
  if (!(Number.isInteger(n) && n > 0 && n < 100_000)) throw new RangeError(`invalid customer count: ${n}`);
  const root = createRandom(seed);
  const cal = buildCalendar();

  const signups = drawSignups(root.fork('signups'), n);
  const customers = signups.map((day, i) => drawCustomer(root.fork(`customer/${i}`), day));
  const purchases: Purchase[] = [];
  customers.forEach((c, i) => simulateCustomer(root.fork(`orders/${i}`), i, c, cal, purchases));

  const ids = customers.map((_, i) => `C${String(i + 1).padStart(5, '0')}`);
  return { customers: customerColumns(customers, ids), orders: orderColumns(purchases, ids) };
}

function customerColumns(customers: Customer[], ids: string[]): CustomerColumns {
  return {
    customer_id: ids,
    signup_date: Int32Array.from(customers, (c) => c.signup),
    age: Int32Array.from(customers, (c) => c.age),
    gender: customers.map((c) => c.gender),
    city: customers.map((c) => c.place.city),
    province: customers.map((c) => c.place.province),
    country: customers.map((c) => c.place.country),
    city_tier: customers.map((c) => TIERS[c.place.tier]),
    urban_rural: customers.map((c) => (c.urban ? 'Urban' : 'Rural')),
    income_band: customers.map((c) => INCOME_BANDS[c.income]),
    occupation: customers.map((c) => c.occupation),
    education: customers.map((c) => EDUCATIONS[c.education]),
    lifestyle: customers.map((c) => c.lifestyle),
    price_sensitivity: customers.map((c) => LEVELS[c.priceSensitivity]),
    brand_loyalty: customers.map((c) => LEVELS[c.loyalty]),
  };
}

function orderColumns(purchases: Purchase[], ids: string[]): OrderColumns {
  // Order numbers follow time; a refund row reuses its order's number with an 'R' prefix.
  const byTime = purchases.map((_, i) => i).sort((a, b) => purchases[a].day - purchases[b].day || a - b);
  const rows: { day: number; refund: boolean; number: number; p: Purchase }[] = [];
  byTime.forEach((i, rank) => {
    const p = purchases[i];
    rows.push({ day: p.day, refund: false, number: rank + 1, p });
    if (p.refundDay >= 0) rows.push({ day: p.refundDay, refund: true, number: rank + 1, p });
  });
  rows.sort((a, b) => a.day - b.day || Number(a.refund) - Number(b.refund) || a.number - b.number);

  return {
    order_id: rows.map((r) => `${r.refund ? 'R' : 'O'}${String(r.number).padStart(7, '0')}`),
    customer_id: rows.map((r) => ids[r.p.customer]),
    order_date: Int32Array.from(rows, (r) => r.day),
    amount: Float64Array.from(rows, (r) => (r.refund ? r.p.refundAmount : r.p.amount)),
    channel: rows.map((r) => CHANNELS[r.p.channel]),
    category: rows.map((r) => CATEGORIES[r.p.category]),
    discount: rows.map((r) => r.p.discount),
  };
}

// ---------------------------------------------------------------------------------------------
// Arrow

function dateVector(days: Int32Array) {
  return makeVector(makeData({ type: new DateDay(), length: days.length, nullCount: 0, data: days }));
}

const utf8 = (values: string[]) => vectorFromArray(values, new Utf8());

/** One record batch with every field declared non-nullable (the sample has no missing values). */
function tableOf(columns: Record<string, Vector>): Table {
  const names = Object.keys(columns);
  const fields = names.map((name) => new Field(name, columns[name].type, false));
  const length = columns[names[0]].length;
  const children = names.map((name) => {
    if (columns[name].data.length !== 1) throw new Error(`column ${name}: expected one chunk`);
    return columns[name].data[0];
  });
  const struct = makeData({ type: new Struct(fields), length, nullCount: 0, children });
  const schema = new Schema(fields);
  return new Table(schema, [new RecordBatch(schema, struct)]);
}

/** The customers columns as an Arrow table (Utf8 ids and labels, Date32 signup_date, Int32 age). */
export function customersTable(c: CustomerColumns): Table {
  return tableOf({
    customer_id: utf8(c.customer_id),
    signup_date: dateVector(c.signup_date),
    age: makeVector(c.age),
    gender: utf8(c.gender),
    city: utf8(c.city),
    province: utf8(c.province),
    country: utf8(c.country),
    city_tier: utf8(c.city_tier),
    urban_rural: utf8(c.urban_rural),
    income_band: utf8(c.income_band),
    occupation: utf8(c.occupation),
    education: utf8(c.education),
    lifestyle: utf8(c.lifestyle),
    price_sensitivity: utf8(c.price_sensitivity),
    brand_loyalty: utf8(c.brand_loyalty),
  });
}

/** The orders columns as an Arrow table (Utf8 ids, Date32 order_date, Float64 amount, Bool discount). */
export function ordersTable(o: OrderColumns): Table {
  return tableOf({
    order_id: utf8(o.order_id),
    customer_id: utf8(o.customer_id),
    order_date: dateVector(o.order_date),
    amount: makeVector(o.amount),
    channel: utf8(o.channel),
    category: utf8(o.category),
    discount: vectorFromArray(o.discount, new Bool()),
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

/** Headline figures of a sample dataset, for the generator's log and for tests. */
export interface SampleStats {
  customers: number;
  orders: number;
  purchases: number;
  refunds: number;
  /** Customers with no order at all. */
  neverBought: number;
  /** Share of all customers with exactly one purchase. */
  oneTimeShare: number;
  /** Share of net revenue from the top 10% of customers by net revenue. */
  top10RevenueShare: number;
  maxPurchases: number;
  /** Customers with at least 100 purchases. */
  heavyBuyers: number;
  /** Customers who signed up in the last three months of the order range. */
  recentSignups: number;
  /** Customers with two or more purchases whose last purchase was in 2024. */
  lapsedIn2024: number;
  netRevenue: number;
}

/** Computes {@link SampleStats} from the column arrays. */
export function sampleStats(data: SampleData): SampleStats {
  const { customers, orders } = data;
  const index = new Map(customers.customer_id.map((id, i) => [id, i]));
  const n = customers.customer_id.length;
  const purchases = new Int32Array(n);
  const last = new Int32Array(n).fill(-1);
  const revenue = new Float64Array(n);
  let refunds = 0;
  let net = 0;
  for (let i = 0; i < orders.order_id.length; i++) {
    const c = index.get(orders.customer_id[i])!;
    revenue[c] += orders.amount[i];
    net += orders.amount[i];
    if (orders.order_id[i].startsWith('R')) refunds++;
    else {
      purchases[c]++;
      last[c] = Math.max(last[c], orders.order_date[i]);
    }
  }
  const sorted = Float64Array.from(revenue).sort().reverse();
  let top = 0;
  for (let i = 0; i < Math.ceil(n / 10); i++) top += sorted[i];
  const y2024 = [dayNumber('2024-01-01'), dayNumber('2024-12-31')];
  const recentFrom = dayNumber('2025-10-01');
  let oneTime = 0, never = 0, heavy = 0, lapsed = 0, recent = 0, max = 0;
  for (let c = 0; c < n; c++) {
    if (purchases[c] === 0) never++;
    if (purchases[c] === 1) oneTime++;
    if (purchases[c] >= 100) heavy++;
    if (purchases[c] >= 2 && last[c] >= y2024[0] && last[c] <= y2024[1]) lapsed++;
    if (customers.signup_date[c] >= recentFrom) recent++;
    max = Math.max(max, purchases[c]);
  }
  return {
    customers: n,
    orders: orders.order_id.length,
    purchases: orders.order_id.length - refunds,
    refunds,
    neverBought: never,
    oneTimeShare: oneTime / n,
    top10RevenueShare: top / net,
    maxPurchases: max,
    heavyBuyers: heavy,
    recentSignups: recent,
    lapsedIn2024: lapsed,
    netRevenue: cents(net),
  };
}
