//! The verdict vocabulary of a claim, its rating scale, and which verdict
//! wins when several findings apply to one claim.

use crate::diagnostic::Code;

/// What the workspace says about one figure or quote. The names are the
/// contract's fixed vocabulary (SPEC §4), used by the report page and as the
/// `alternateName` of a ClaimReview rating.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Verdict {
    /// A figure whose cited workspace article states the key, for an
    /// overlapping period, only with incompatible values.
    Unsupported,
    /// A quote whose cited workspace article does not contain it.
    Misquoted,
    /// A figure that another figure of the same key and period contradicts.
    Contradicted,
    /// A quote attributed to another speaker elsewhere in the workspace.
    Misattributed,
    /// A figure with no citation: nothing to check it against.
    Uncited,
    /// No finding: nothing in the workspace disagrees.
    Consistent,
}

/// The rating scale: 1 (worst) to 4 (best).
pub const WORST_RATING: u8 = 1;
pub const BEST_RATING: u8 = 4;

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::Unsupported,
        Verdict::Misquoted,
        Verdict::Contradicted,
        Verdict::Misattributed,
        Verdict::Uncited,
        Verdict::Consistent,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Contradicted => "contradicted",
            Verdict::Unsupported => "unsupported",
            Verdict::Consistent => "consistent",
            Verdict::Uncited => "uncited",
            Verdict::Misattributed => "misattributed",
            Verdict::Misquoted => "misquoted",
        }
    }

    /// 1: the claim's own cited article says otherwise; 2: another article
    /// of the workspace says otherwise; 3: nothing to check it against;
    /// 4: nothing disagrees.
    pub fn rating(self) -> u8 {
        match self {
            Verdict::Unsupported | Verdict::Misquoted => 1,
            Verdict::Contradicted | Verdict::Misattributed => 2,
            Verdict::Uncited => 3,
            Verdict::Consistent => 4,
        }
    }

    /// The verdict a finding of `code` gives its claim, if any.
    pub fn of_code(code: Code) -> Option<Verdict> {
        match code {
            Code::UnsupportedFigure => Some(Verdict::Unsupported),
            Code::ContradictingFigure => Some(Verdict::Contradicted),
            Code::UncitedFigure => Some(Verdict::Uncited),
            Code::Misquote => Some(Verdict::Misquoted),
            Code::ConflictingAttribution => Some(Verdict::Misattributed),
            _ => None,
        }
    }

    /// The verdict of a claim with these findings: the most serious one
    /// (the order of [`Verdict`]: the claim's own source disagreeing, then
    /// another article disagreeing, then no citation), else `consistent`.
    pub fn of_findings(codes: impl IntoIterator<Item = Code>) -> Verdict {
        codes.into_iter().filter_map(Verdict::of_code).min().unwrap_or(Verdict::Consistent)
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_serious_finding_wins() {
        let cases: &[(&[Code], Verdict)] = &[
            (&[], Verdict::Consistent),
            (&[Code::UnannotatedFigure], Verdict::Consistent),
            (&[Code::UncitedFigure], Verdict::Uncited),
            (&[Code::UncitedFigure, Code::ContradictingFigure], Verdict::Contradicted),
            (&[Code::ContradictingFigure, Code::UnsupportedFigure], Verdict::Unsupported),
            (&[Code::ConflictingAttribution], Verdict::Misattributed),
            (&[Code::ConflictingAttribution, Code::Misquote], Verdict::Misquoted),
        ];
        for (codes, expected) in cases {
            assert_eq!(Verdict::of_findings(codes.iter().copied()), *expected, "{codes:?}");
        }
    }

    #[test]
    fn ratings_lie_on_the_scale_and_follow_precedence() {
        let mut last = WORST_RATING;
        for verdict in Verdict::ALL {
            let rating = verdict.rating();
            assert!((WORST_RATING..=BEST_RATING).contains(&rating));
            assert!(rating >= last, "{verdict} rates better than a verdict it takes precedence over");
            last = rating;
        }
        assert_eq!(Verdict::Consistent.rating(), BEST_RATING);
    }
}
