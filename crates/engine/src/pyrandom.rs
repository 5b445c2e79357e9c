//! CPython's `random` module, reproduced bit for bit.
//!
//! [`PyRandom`] is the Mersenne Twister (MT19937) generator behind CPython's
//! `random.Random`, together with the pure-Python methods layered on top of it
//! in `Lib/random.py`. Seeded with the same integer, it yields exactly the
//! values CPython 3.12 and 3.13 yield: `random()`, `getrandbits()`,
//! `randrange()`, `randint()`, `uniform()`, `choice()` and `shuffle()` consume
//! the generator in the same order and the same amounts as CPython does.
//!
//! Errors are returned as the message CPython puts in the exception; the
//! exception class is given in each method's documentation (`ValueError` for
//! empty ranges, `IndexError` for an empty `choice`).

/// Number of 32-bit words in the MT19937 state.
const N: usize = 624;
/// MT19937's middle word offset.
const M: usize = 397;
const MATRIX_A: u32 = 0x9908_b0df;
const UPPER_MASK: u32 = 0x8000_0000;
const LOWER_MASK: u32 = 0x7fff_ffff;

/// Python's `a // b` (rounds toward negative infinity); `b != 0`.
fn floor_div(a: i128, b: i128) -> i128 {
    let q = a / b;
    if (a % b != 0) && ((a < 0) != (b < 0)) {
        q - 1
    } else {
        q
    }
}

/// A `random.Random` instance: MT19937 state (624 words) plus the position
/// of the next word to hand out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PyRandom {
    state: [u32; N],
    index: usize,
}

impl PyRandom {
    /// The generator `random.seed(seed)` leaves behind for an `int` seed.
    ///
    /// CPython seeds with the absolute value of the integer, split into
    /// 32-bit words (least significant first) and fed to `init_by_array`;
    /// zero becomes the one-word key `[0]`.
    pub fn from_int_seed(seed: i128) -> Self {
        let mut magnitude = seed.unsigned_abs();
        let mut key = Vec::with_capacity(4);
        loop {
            key.push(magnitude as u32);
            magnitude >>= 32;
            if magnitude == 0 {
                break;
            }
        }
        let mut rng = PyRandom {
            state: [0; N],
            index: N,
        };
        rng.init_by_array(&key);
        rng
    }

    /// The generator for the simulator's own seed, used where a script never
    /// calls `random.seed()`: the same as `random.seed(seed)`.
    #[cfg(test)]
    pub fn from_u64(seed: u64) -> Self {
        Self::from_int_seed(i128::from(seed))
    }

    /// Re-seeds in place, as `random.seed(seed)` does for an `int` seed.
    #[cfg(test)]
    pub fn seed(&mut self, seed: i128) {
        *self = Self::from_int_seed(seed);
    }

    /// MT19937's `init_genrand`: fills the state from a single 32-bit word.
    fn init_genrand(&mut self, seed: u32) {
        self.state[0] = seed;
        for i in 1..N {
            let prev = self.state[i - 1];
            self.state[i] = 1_812_433_253u32
                .wrapping_mul(prev ^ (prev >> 30))
                .wrapping_add(i as u32);
        }
        self.index = N;
    }

    /// MT19937's `init_by_array`: mixes a key of any length into the state.
    fn init_by_array(&mut self, key: &[u32]) {
        self.init_genrand(19_650_218);
        let mut i = 1;
        let mut j = 0;
        for _ in 0..N.max(key.len()) {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..N - 1 {
            let prev = self.state[i - 1];
            self.state[i] = (self.state[i] ^ (prev ^ (prev >> 30)).wrapping_mul(1_566_083_941)).wrapping_sub(i as u32);
            i += 1;
            if i >= N {
                self.state[0] = self.state[N - 1];
                i = 1;
            }
        }
        // The most significant bit is 1, which guarantees a non-zero state.
        self.state[0] = 0x8000_0000;
    }

    /// Regenerates all 624 words of the state at once.
    fn twist(&mut self) {
        for i in 0..N {
            let y = (self.state[i] & UPPER_MASK) | (self.state[(i + 1) % N] & LOWER_MASK);
            let mag = if y & 1 == 1 { MATRIX_A } else { 0 };
            self.state[i] = self.state[(i + M) % N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    /// The next tempered 32-bit output (`genrand_uint32`).
    pub fn next_u32(&mut self) -> u32 {
        if self.index >= N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    /// `random.random()`: a float in `[0.0, 1.0)` with 53 random bits, built
    /// from two outputs (the top 27 bits of one, the top 26 of the next).
    pub fn random(&mut self) -> f64 {
        let a = self.next_u32() >> 5;
        let b = self.next_u32() >> 6;
        (f64::from(a) * 67_108_864.0 + f64::from(b)) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// `random.getrandbits(k)` for `k` in `0..=64`.
    ///
    /// Up to 32 bits come from the top of one output; wider requests take one
    /// output per 32 bits, least significant word first, the last one
    /// shifted down to the bits still needed.
    ///
    /// # Panics
    ///
    /// If `k > 64` (CPython returns an arbitrarily large `int`).
    pub fn getrandbits(&mut self, k: u32) -> u64 {
        assert!(k <= 64, "getrandbits supports at most 64 bits, got {k}");
        self.getrandbits_wide(k) as u64
    }

    /// `getrandbits` for `k` in `0..=128`.
    fn getrandbits_wide(&mut self, k: u32) -> u128 {
        if k <= 32 {
            // `k == 0` draws nothing, as in CPython.
            return if k == 0 {
                0
            } else {
                u128::from(self.next_u32() >> (32 - k))
            };
        }
        let mut result = 0u128;
        let mut shift = 0;
        let mut remaining = k;
        while remaining > 0 {
            let mut word = self.next_u32();
            if remaining < 32 {
                word >>= 32 - remaining;
            }
            result |= u128::from(word) << shift;
            shift += 32;
            remaining = remaining.saturating_sub(32);
        }
        result
    }

    /// `Random._randbelow(n)`: a uniform integer in `[0, n)`, drawing
    /// `n.bit_length()` bits at a time until the draw is below `n`.
    ///
    /// # Panics
    ///
    /// If `n == 0` (CPython would loop forever; its callers never ask).
    pub fn randbelow(&mut self, n: u64) -> u64 {
        self.randbelow_wide(u128::from(n)) as u64
    }

    /// `randbelow` for bounds up to 2**128 - 1, so that `randint` over the
    /// whole `i64` range (2**64 values) works.
    fn randbelow_wide(&mut self, n: u128) -> u128 {
        assert!(n > 0, "randbelow requires n > 0");
        let k = u128::BITS - n.leading_zeros();
        loop {
            let r = self.getrandbits_wide(k);
            if r < n {
                return r;
            }
        }
    }

    /// `random.randrange(stop)`, the one-argument form.
    ///
    /// Errors: `ValueError` "empty range for randrange()" if `stop <= 0`.
    #[cfg(test)]
    pub fn randrange_stop(&mut self, stop: i64) -> Result<i64, String> {
        if stop > 0 {
            Ok(self.randbelow(stop.unsigned_abs()) as i64)
        } else {
            Err("empty range for randrange()".to_string())
        }
    }

    /// `random.randrange(start, stop, step)`; pass `step = 1` for the
    /// two-argument form.
    ///
    /// Errors (all `ValueError`): "empty range in randrange(start, stop)" for
    /// an empty unit-step range, "empty range in randrange(start, stop,
    /// step)" for other empty ranges, "zero step for randrange()".
    pub fn randrange(&mut self, start: i64, stop: i64, step: i64) -> Result<i64, String> {
        self.randrange_wide(i128::from(start), i128::from(stop), i128::from(step))
            .map(|v| v as i64)
    }

    /// `random.randint(a, b)`: `randrange(a, b + 1)`, so an empty range
    /// reports `ValueError` "empty range in randrange(a, b+1)".
    pub fn randint(&mut self, a: i64, b: i64) -> Result<i64, String> {
        self.randrange_wide(i128::from(a), i128::from(b) + 1, 1)
            .map(|v| v as i64)
    }

    /// `randrange` on integers wide enough that `stop - start` and
    /// `b + 1` cannot overflow; every result fits back into an `i64`.
    fn randrange_wide(&mut self, start: i128, stop: i128, step: i128) -> Result<i128, String> {
        let width = stop - start;
        if step == 1 {
            if width > 0 {
                return Ok(start + self.randbelow_wide(width as u128) as i128);
            }
            return Err(format!("empty range in randrange({start}, {stop})"));
        }
        let n = match step {
            0 => return Err("zero step for randrange()".to_string()),
            s if s > 0 => floor_div(width + s - 1, s),
            s => floor_div(width + s + 1, s),
        };
        if n <= 0 {
            return Err(format!("empty range in randrange({start}, {stop}, {step})"));
        }
        Ok(start + step * self.randbelow_wide(n as u128) as i128)
    }

    /// `random.uniform(a, b)`: `a + (b - a) * random()`.
    pub fn uniform(&mut self, a: f64, b: f64) -> f64 {
        a + (b - a) * self.random()
    }

    /// The index `random.choice(seq)` picks for a sequence of length `len`.
    ///
    /// Errors: `IndexError` "Cannot choose from an empty sequence".
    pub fn choice_index(&mut self, len: usize) -> Result<usize, String> {
        if len == 0 {
            return Err("Cannot choose from an empty sequence".to_string());
        }
        Ok(self.randbelow(len as u64) as usize)
    }

    /// `random.shuffle(items)`: Fisher-Yates from the end, swapping item `i`
    /// with `randbelow(i + 1)` for `i` from `len - 1` down to 1.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.randbelow(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    //! Expected values come from CPython 3.13 (identical under 3.12), e.g.
    //! `r = random.Random(42); [r.random() for _ in range(5)]`.

    use super::PyRandom;

    /// One row per seed: the values CPython 3.13 produces after `random.seed(seed)`.
    struct SeedCase {
        seed: i128,
        random: [f64; 5],
        randint_1_10: [i64; 10],
        uniform: [f64; 3],
        shuffled: [u8; 10],
        choice_of_7: [usize; 6],
        bits32: [u64; 3],
        bits64: [u64; 3],
        mixed: (f64, i64, f64),
    }

    const SEED_CASES: &[SeedCase] = &[
        SeedCase {
            seed: 0,
            random: [
                0.8444218515250481,
                0.7579544029403025,
                0.420571580830845,
                0.25891675029296335,
                0.5112747213686085,
            ],
            randint_1_10: [7, 7, 1, 5, 9, 8, 7, 5, 8, 6],
            uniform: [1.3444218515250481, 1.2579544029403025, 0.920571580830845],
            shuffled: [7, 8, 1, 5, 3, 4, 2, 0, 9, 6],
            choice_of_7: [6, 3, 6, 3, 0, 2],
            bits32: [3626764237, 1654615998, 3255389356],
            bits64: [7106521602475165645, 16422101724900707500, 746805015404516437],
            mixed: (0.8444218515250481, 98, 0.890243920837131),
        },
        SeedCase {
            seed: 1,
            random: [
                0.13436424411240122,
                0.8474337369372327,
                0.763774618976614,
                0.2550690257394217,
                0.49543508709194095,
            ],
            randint_1_10: [3, 10, 2, 5, 2, 8, 8, 8, 7, 4],
            uniform: [0.6343642441124012, 1.3474337369372327, 1.2637746189766141],
            shuffled: [6, 8, 9, 7, 5, 3, 0, 4, 1, 2],
            choice_of_7: [1, 4, 6, 6, 6, 0],
            bits32: [577090037, 2444712010, 3639700191],
            bits64: [10499958131665514997, 14799178230035213023, 1164115433906158532],
            mixed: (0.13436424411240122, 98, 0.06310682188770933),
        },
        SeedCase {
            seed: 42,
            random: [
                0.6394267984578837,
                0.025010755222666936,
                0.27502931836911926,
                0.22321073814882275,
                0.7364712141640124,
            ],
            randint_1_10: [2, 1, 5, 4, 4, 3, 2, 9, 2, 10],
            uniform: [1.1394267984578836, 0.5250107552226669, 0.7750293183691193],
            shuffled: [7, 3, 2, 8, 5, 6, 9, 4, 0, 1],
            choice_of_7: [5, 0, 0, 5, 2, 1],
            bits32: [2746317213, 478163327, 107420369],
            bits64: [2053695854357871005, 13679192365072849617, 4517457392071889495],
            mixed: (0.6394267984578837, 4, 0.7415504997598329),
        },
        SeedCase {
            seed: 12345,
            random: [
                0.41661987254534116,
                0.010169169457068361,
                0.8252065092537432,
                0.2986398551995928,
                0.3684116894884757,
            ],
            randint_1_10: [7, 1, 5, 6, 4, 5, 10, 7, 3, 6],
            uniform: [0.9166198725453412, 0.5101691694570684, 1.3252065092537433],
            shuffled: [8, 7, 3, 5, 1, 2, 9, 4, 0, 6],
            choice_of_7: [3, 5, 0, 6, 6, 6],
            bits32: [1789368711, 3146859322, 43676229],
            bits64: [13515657874892102023, 15129553140981592645, 14809938836708178893],
            mixed: (0.41661987254534116, 2, 0.8201747225612886),
        },
        SeedCase {
            seed: (1 << 40) + 7,
            random: [
                0.6137037779936511,
                0.8149162973309487,
                0.9450115087592873,
                0.5703906991004561,
                0.47592409887048936,
            ],
            randint_1_10: [10, 10, 8, 5, 10, 3, 9, 7, 9, 6],
            uniform: [1.113703777993651, 1.3149162973309487, 1.4450115087592872],
            shuffled: [0, 5, 2, 3, 6, 1, 8, 4, 7, 9],
            choice_of_7: [4, 5, 6, 5, 4, 5],
            bits32: [2635837658, 3209733218, 3500038837],
            bits64: [13785699202830676186, 17301799233109514933, 11797128929593804325],
            mixed: (0.6137037779936511, 82, 0.5703906991004561),
        },
        SeedCase {
            seed: -5,
            random: [
                0.6229016948897019,
                0.7417869892607294,
                0.7951935655656966,
                0.9424502837770503,
                0.7398985747399307,
            ],
            randint_1_10: [10, 5, 6, 9, 1, 8, 4, 1, 3, 2],
            uniform: [1.122901694889702, 1.2417869892607294, 1.2951935655656968],
            shuffled: [2, 3, 1, 0, 8, 7, 6, 5, 4, 9],
            choice_of_7: [4, 2, 5, 2, 6, 5],
            bits32: [2675342405, 1097127993, 3185950873],
            bits64: [4712128852136459333, 6613812840851947673, 12736496262939004471],
            mixed: (0.6229016948897019, 95, 0.35853551175589526),
        },
        SeedCase {
            seed: (1 << 100) + 3,
            random: [
                0.3567616365770526,
                0.9714727250299201,
                0.8878281370584883,
                0.47079212592777886,
                0.7486286030976262,
            ],
            randint_1_10: [6, 5, 7, 8, 9, 4, 1, 5, 7, 6],
            uniform: [0.8567616365770526, 1.47147272502992, 1.3878281370584884],
            shuffled: [7, 2, 9, 0, 1, 8, 3, 6, 4, 5],
            choice_of_7: [2, 2, 3, 3, 4, 5],
            bits32: [1532279558, 1283910471, 4172443581],
            bits64: [5514353485469235974, 17846941144692453309, 7571704180436939882],
            mixed: (0.3567616365770526, 53, 0.47079212592777886),
        },
    ];

    fn assert_f64_eq(actual: f64, expected: f64, what: &str) {
        assert_eq!(
            actual.to_bits(),
            expected.to_bits(),
            "{what}: got {actual:?}, expected {expected:?}"
        );
    }

    #[test]
    fn random_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            for (i, &expected) in case.random.iter().enumerate() {
                assert_f64_eq(rng.random(), expected, &format!("seed {} #{i}", case.seed));
            }
        }
    }

    #[test]
    fn randint_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            let got: Vec<i64> = (0..10).map(|_| rng.randint(1, 10).unwrap()).collect();
            assert_eq!(got, case.randint_1_10, "seed {}", case.seed);
        }
    }

    #[test]
    fn uniform_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            for &expected in &case.uniform {
                assert_f64_eq(rng.uniform(0.5, 1.5), expected, &format!("seed {}", case.seed));
            }
        }
    }

    #[test]
    fn shuffle_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            let mut items: Vec<u8> = (0..10).collect();
            rng.shuffle(&mut items);
            assert_eq!(items, case.shuffled, "seed {}", case.seed);
        }
    }

    #[test]
    fn choice_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            let got: Vec<usize> = (0..6).map(|_| rng.choice_index(7).unwrap()).collect();
            assert_eq!(got, case.choice_of_7, "seed {}", case.seed);
        }
    }

    #[test]
    fn getrandbits_matches_cpython() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            let got: Vec<u64> = (0..3).map(|_| rng.getrandbits(32)).collect();
            assert_eq!(got, case.bits32, "seed {} (32 bits)", case.seed);
            let mut rng = PyRandom::from_int_seed(case.seed);
            let got: Vec<u64> = (0..3).map(|_| rng.getrandbits(64)).collect();
            assert_eq!(got, case.bits64, "seed {} (64 bits)", case.seed);
        }
    }

    #[test]
    fn mixed_calls_share_one_stream() {
        for case in SEED_CASES {
            let mut rng = PyRandom::from_int_seed(case.seed);
            assert_f64_eq(rng.random(), case.mixed.0, "first random");
            assert_eq!(rng.randint(1, 100), Ok(case.mixed.1), "seed {}", case.seed);
            assert_f64_eq(rng.random(), case.mixed.2, "second random");
        }
    }

    #[test]
    fn getrandbits_odd_widths() {
        let mut rng = PyRandom::from_int_seed(7);
        let got: Vec<u64> = [1, 5, 17, 31, 33, 48, 63, 64, 0, 2]
            .iter()
            .map(|&k| rng.getrandbits(k))
            .collect();
        assert_eq!(
            got,
            [
                0,
                30,
                19772,
                847876999,
                2795742288,
                231168335884083,
                868196408185819179,
                10750541312280087032,
                0,
                0
            ]
        );
    }

    #[test]
    fn randrange_with_steps() {
        let mut rng = PyRandom::from_int_seed(7);
        assert_eq!(rng.randrange(0, 100, 7), Ok(35));
        assert_eq!(rng.randrange(100, 0, -3), Ok(73));
        assert_eq!(rng.randrange(-50, 50, 1), Ok(0));
        assert_eq!(rng.randrange_stop(10), Ok(0));
        assert_eq!(rng.randrange(-10, -1, 2), Ok(-10));
        assert_eq!(rng.randrange(5, -20, -5), Ok(-15));
    }

    #[test]
    fn full_width_ranges() {
        let mut rng = PyRandom::from_int_seed(7);
        assert_eq!(rng.randrange(i64::MIN, i64::MAX, 1), Ok(8261657684473197624));
        assert_eq!(rng.randint(i64::MIN, i64::MAX), Ok(-7486979218489765845));
        assert_eq!(rng.randrange(0, i64::MAX, 1 << 62), Ok(0));
        assert_eq!(rng.randrange_stop(i64::MAX), Ok(4680268584103075220));
    }

    #[test]
    fn randbelow_matches_cpython() {
        let mut rng = PyRandom::from_int_seed(7);
        let ns = [1, 2, 3, 1000, 1 << 32, (1 << 32) + 1, (1 << 63) + 1, u64::MAX];
        let got: Vec<u64> = ns.iter().map(|&n| rng.randbelow(n)).collect();
        assert_eq!(
            got,
            [
                0,
                0,
                1,
                666,
                207388624,
                404285457,
                1069891289537943645,
                9360537168593968532
            ]
        );
    }

    #[test]
    fn state_regenerates_after_624_words() {
        let mut rng = PyRandom::from_int_seed(2024);
        let draws: Vec<i64> = (0..700).map(|_| rng.randint(0, 9).unwrap()).collect();
        assert_eq!(draws[695..], [7, 3, 4, 7, 6]);
        assert_f64_eq(rng.random(), 0.5139344033869374, "after 700 randints");
    }

    #[test]
    fn empty_ranges_report_cpython_messages() {
        let mut rng = PyRandom::from_u64(0);
        let err = |r: Result<i64, String>| r.unwrap_err();
        assert_eq!(err(rng.randrange(1, 1, 1)), "empty range in randrange(1, 1)");
        assert_eq!(err(rng.randrange(5, 3, 1)), "empty range in randrange(5, 3)");
        assert_eq!(err(rng.randrange(0, 10, 0)), "zero step for randrange()");
        assert_eq!(err(rng.randrange(0, 10, -1)), "empty range in randrange(0, 10, -1)");
        assert_eq!(err(rng.randrange(3, 3, 5)), "empty range in randrange(3, 3, 5)");
        assert_eq!(err(rng.randint(5, 3)), "empty range in randrange(5, 4)");
        assert_eq!(err(rng.randint(5, 4)), "empty range in randrange(5, 5)");
        assert_eq!(
            err(rng.randint(i64::MAX, i64::MAX - 1)),
            "empty range in randrange(9223372036854775807, 9223372036854775807)"
        );
        assert_eq!(err(rng.randrange_stop(0)), "empty range for randrange()");
        assert_eq!(err(rng.randrange_stop(-3)), "empty range for randrange()");
        assert_eq!(
            rng.choice_index(0),
            Err("Cannot choose from an empty sequence".to_string())
        );
        // Failed calls consume nothing.
        assert_eq!(rng, PyRandom::from_u64(0));
    }

    #[test]
    fn shuffle_of_letters_and_trivial_lists() {
        let mut rng = PyRandom::from_int_seed(99);
        let mut letters: Vec<char> = ('a'..='z').collect();
        rng.shuffle(&mut letters);
        assert_eq!(letters.iter().collect::<String>(), "arxnsvpdwjbolkqyiceuhftgzm");
        // Lists of length 0 and 1 draw nothing.
        rng.shuffle(&mut [1]);
        rng.shuffle::<u8>(&mut []);
        assert_f64_eq(rng.random(), 0.8614921993193687, "after trivial shuffles");
    }

    #[test]
    fn uniform_with_reversed_bounds() {
        let mut rng = PyRandom::from_int_seed(3);
        assert_f64_eq(rng.uniform(10.0, -10.0), 5.240707458162173, "first");
        assert_f64_eq(rng.uniform(10.0, -10.0), -0.8845845059190367, "second");
        assert_f64_eq(rng.uniform(1e300, -1e300), 2.6008966690384145e+299, "huge");
    }

    #[test]
    fn seeding_helpers_agree() {
        let mut rng = PyRandom::from_u64(12345);
        assert_eq!(rng, PyRandom::from_int_seed(12345));
        rng.random();
        rng.seed(-12345);
        assert_eq!(rng, PyRandom::from_int_seed(12345));
    }
}
