//! Schedules: the options taken at a run's choice points, and the short
//! string (`s2-…`) that replays a run exactly.

use serde::{Deserialize, Serialize};

/// Version of the schedule string format (`s2-...`). Version 2 makes the
/// switch-out choice at the end of the instruction with the preemption point.
pub const SCHEDULE_VERSION: u32 = 2;

/// The options taken at a run's choice points, in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Schedule {
    pub choices: Vec<u32>,
}

impl Schedule {
    /// Non-default options taken.
    pub fn deviations(&self) -> usize {
        self.choices.iter().filter(|c| **c != 0).count()
    }

    /// `s2` followed by `-<gap>.<option>` for each non-default option, in base 36:
    /// `s2-c.1-3.1` takes option 1 at choice points 12 and 16.
    pub fn encode(&self) -> String {
        let mut out = format!("s{SCHEDULE_VERSION}");
        let mut last = 0usize;
        for (i, c) in self.choices.iter().enumerate() {
            if *c != 0 {
                out.push_str(&format!("-{}.{}", base36(i - last), base36(*c as usize)));
                last = i;
            }
        }
        out
    }

    /// Parses a schedule string.
    pub fn decode(s: &str) -> Result<Schedule, String> {
        let s = s.trim();
        let mut parts = s.split('-');
        let head = parts.next().unwrap_or("");
        if head != format!("s{SCHEDULE_VERSION}") {
            let old = head.strip_prefix('s').and_then(|v| v.parse::<u32>().ok());
            if old.is_some_and(|v| v < SCHEDULE_VERSION) {
                return Err(format!(
                    "{s:?} was made by an older version (s{SCHEDULE_VERSION} schedules number choices differently): explore again"
                ));
            }
            return Err(format!("{s:?} is not a schedule (they start with s{SCHEDULE_VERSION})"));
        }
        let mut choices = Vec::new();
        let mut pos = 0usize;
        for p in parts {
            let (gap, opt) = p.split_once('.').ok_or_else(|| format!("{p:?}: expected GAP.OPTION"))?;
            let gap = usize::from_str_radix(gap, 36).map_err(|_| format!("{p:?}: bad number"))?;
            let opt = u32::from_str_radix(opt, 36).map_err(|_| format!("{p:?}: bad number"))?;
            pos = if choices.is_empty() && pos == 0 { gap } else { pos + gap };
            if pos > 1_000_000 {
                return Err("schedule too long".into());
            }
            choices.resize(pos + 1, 0);
            choices[pos] = opt;
        }
        Ok(Schedule { choices })
    }
}

fn base36(mut n: usize) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    if n == 0 {
        return "0".into();
    }
    let mut v = Vec::new();
    while n > 0 {
        v.push(DIGITS[n % 36]);
        n /= 36;
    }
    v.reverse();
    String::from_utf8(v).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_round_trip_through_their_string() {
        let s = Schedule {
            choices: vec![
                0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 0, 0, 2,
            ],
        };
        let text = s.encode();
        assert_eq!(text, "s2-2.1-11.2");
        assert_eq!(Schedule::decode(&text).unwrap(), s);
        assert_eq!(Schedule::decode("s2").unwrap(), Schedule::default());
        assert!(Schedule::decode("x9-1.1").is_err());
        assert!(Schedule::decode("s2-zz").is_err());
        assert!(Schedule::decode("s1-2.1").unwrap_err().contains("older version"));
    }
}
