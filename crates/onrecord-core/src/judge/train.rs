//! Training the judge: L2-regularized logistic regression by AdaGrad, visiting the
//! examples in a seeded order, so the same examples and seed give the same weights. The
//! judge is the average of several such fits, each from its own order: one fit's weights
//! depend on the order enough to move dev scores by ±0.002, the average much less.

use super::model::Judge;
use crate::tagger::hash::KeyMap;

/// One candidate attribution: its features and whether the scorer counts it right.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Example {
    pub features: Vec<u32>,
    pub label: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Config {
    pub epochs: usize,
    /// AdaGrad's base learning rate.
    pub rate: f32,
    /// L2 penalty per example visit.
    pub l2: f32,
    pub seed: u64,
    /// How many fits, each from its own order, are averaged.
    pub fits: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            epochs: 10,
            rate: 0.2,
            l2: 1e-3,
            seed: 20_161_108,
            fits: 32,
        }
    }
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

#[derive(Clone, Copy, Default)]
struct Slot {
    w: f32,
    g2: f32,
}

/// Fit the judge's weights: the average of `cfg.fits` fits; its threshold is 0.5 until
/// the caller picks one.
pub fn train(examples: &[Example], cfg: &Config) -> Judge {
    let fits = cfg.fits.max(1);
    let mut sum: KeyMap<u32, f32> = KeyMap::default();
    let mut bias_sum = 0.0f32;
    let mut state = cfg.seed;
    for _ in 0..fits {
        let (weights, bias) = fit(examples, cfg, splitmix(&mut state));
        for (k, w) in weights {
            *sum.entry(k).or_default() += w;
        }
        bias_sum += bias;
    }
    let n = fits as f32;
    Judge::new(sum.into_iter().map(|(k, w)| (k, w / n)), bias_sum / n, 0.5)
}

/// One fit, visiting the examples in the order `seed` shuffles them to.
fn fit(examples: &[Example], cfg: &Config, seed: u64) -> (KeyMap<u32, f32>, f32) {
    let mut slots: KeyMap<u32, Slot> = KeyMap::default();
    let (mut bias, mut bias_g2) = (0.0f32, 0.0f32);
    let mut order: Vec<usize> = (0..examples.len()).collect();
    let mut state = seed;
    for _ in 0..cfg.epochs {
        for i in (1..order.len()).rev() {
            let j = (splitmix(&mut state) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        for &i in &order {
            let ex = &examples[i];
            let z = bias
                + ex.features
                    .iter()
                    .map(|k| slots.get(k).map_or(0.0, |s| s.w))
                    .sum::<f32>();
            let p = 1.0 / (1.0 + (-z).exp());
            let g = p - if ex.label { 1.0 } else { 0.0 };
            bias_g2 += g * g;
            bias -= cfg.rate * g / (bias_g2.sqrt() + 1e-6);
            for &k in &ex.features {
                let s = slots.entry(k).or_default();
                let gk = g + cfg.l2 * s.w;
                s.g2 += gk * gk;
                s.w -= cfg.rate * gk / (s.g2.sqrt() + 1e-6);
            }
        }
    }
    (slots.into_iter().map(|(k, s)| (k, s.w)).collect(), bias)
}
