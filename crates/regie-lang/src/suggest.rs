//! "Did you mean ...?": the closest allowed word by edit distance.

/// The candidate closest to `word`, if it is close enough to be a likely typo: at most one edit
/// for short words, about a third of the letters for longer ones; a candidate that only differs
/// in case, or that `word` is a clear prefix of, also counts.
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        if candidate == word {
            continue;
        }
        let candidate_lower = candidate.to_lowercase();
        let distance = if candidate_lower == lower {
            0
        } else if lower.chars().count() >= 3 && candidate_lower.starts_with(&lower) {
            1
        } else {
            strsim::damerau_levenshtein(&lower, &candidate_lower)
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, candidate)| candidate)
}

/// `did you mean `x`?`, or the list of what is allowed when nothing is close.
pub(crate) fn hint(word: &str, candidates: &[&str], what: &str) -> String {
    match closest(word, candidates.iter().copied()) {
        Some(candidate) => format!("did you mean `{candidate}`?"),
        None => format!("{what}: {}", list(candidates)),
    }
}

pub(crate) fn list(candidates: &[&str]) -> String {
    candidates
        .iter()
        .map(|c| format!("`{c}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typos_find_their_word() {
        let names = ["duration", "deadline", "work", "priority"];
        assert_eq!(closest("durration", names), Some("duration"));
        assert_eq!(closest("Duration", names), Some("duration"));
        assert_eq!(closest("dur", names), Some("duration"));
        assert_eq!(closest("wrok", names), Some("work"));
        assert_eq!(closest("colour", names), None);
    }
}
