//! PSPLIB single-mode files (`.sm`, Kolisch & Sprecher 1996), the benchmark format of
//! resource-constrained project scheduling, read into [`Rcpsp`].
//!
//! The reader looks for the sections by their titles (`jobs (incl. supersource/sink ):`,
//! `- renewable :`, `PRECEDENCE RELATIONS:`, `REQUESTS/DURATIONS:`, `RESOURCEAVAILABILITIES:`)
//! and ignores the rest (base data, project information). Jobs must be listed as `1..=n` in both
//! tables; job numbers become 0-based indices. Multi-mode files (`.mm`) and non-renewable
//! resources are rejected, not half-read.

use regie_core::level::{Job, Rcpsp};

/// A malformed file, with the place: `file:line: message`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{file}:{line}: {message}")]
pub struct ReadError {
    pub file: String,
    /// 1-based; the last line when something is missing at the end.
    pub line: usize,
    pub message: String,
}

/// Jobs beyond this are refused before anything is allocated for them.
const MAX_JOBS: usize = 1_000_000;
const MAX_RESOURCES: usize = 1_000;

/// Reads a single-mode PSPLIB file. `file` names it in errors.
pub fn read(file: &str, bytes: &[u8]) -> Result<Rcpsp, ReadError> {
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let line = 1 + bytes[..error.valid_up_to()]
            .iter()
            .filter(|&&byte| byte == b'\n')
            .count();
        ReadError {
            file: file.to_owned(),
            line,
            message: "the file is not UTF-8 text".to_owned(),
        }
    })?;
    Reader {
        file,
        lines: text.lines().enumerate().collect(),
        position: 0,
    }
    .read()
}

struct Reader<'a> {
    file: &'a str,
    lines: Vec<(usize, &'a str)>,
    position: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, line: usize, message: impl Into<String>) -> ReadError {
        ReadError {
            file: self.file.to_owned(),
            line,
            message: message.into(),
        }
    }

    fn last_line(&self) -> usize {
        self.lines.len().max(1)
    }

    /// Advances past the first line (from the current one) for which `matches` holds; its
    /// 1-based number and text.
    fn find(
        &mut self,
        what: &str,
        matches: impl Fn(&str) -> bool,
    ) -> Result<(usize, &'a str), ReadError> {
        while let Some(&(index, text)) = self.lines.get(self.position) {
            self.position += 1;
            if matches(text) {
                return Ok((index + 1, text));
            }
        }
        Err(self.error(self.last_line(), format!("missing {what}")))
    }

    /// The next line that holds data: not blank, not a `***` or `---` rule.
    fn next_data(&mut self, what: &str) -> Result<(usize, &'a str), ReadError> {
        self.find(what, |text| {
            let trimmed = text.trim();
            !trimmed.is_empty() && !trimmed.starts_with("***") && !trimmed.starts_with("---")
        })
    }

    fn numbers(&self, line: usize, text: &str, what: &str) -> Result<Vec<u32>, ReadError> {
        text.split_whitespace()
            .map(|word| {
                word.parse::<u32>().map_err(|_| {
                    self.error(
                        line,
                        format!("expected a whole number in {what}, found `{word}`"),
                    )
                })
            })
            .collect()
    }

    /// The number after the `:` of a `title : value` line.
    fn value_after_colon(&self, line: usize, text: &str, what: &str) -> Result<usize, ReadError> {
        let value = text
            .split_once(':')
            .map(|(_, rest)| rest)
            .and_then(|rest| rest.split_whitespace().next())
            .ok_or_else(|| self.error(line, format!("expected the {what} after `:`")))?;
        value.parse().map_err(|_| {
            self.error(
                line,
                format!("expected the {what} after `:`, found `{value}`"),
            )
        })
    }

    fn read(mut self) -> Result<Rcpsp, ReadError> {
        let (line, text) = self.find("the `jobs (incl. supersource/sink ):` line", |text| {
            text.trim_start().starts_with("jobs")
        })?;
        let jobs = self.value_after_colon(line, text, "number of jobs")?;
        // Every job takes a line in each table: a count beyond the file's lines is wrong, and
        // must not size an allocation.
        if jobs > MAX_JOBS || jobs > self.lines.len() {
            return Err(self.error(
                line,
                format!(
                    "{jobs} jobs, but the file has {} lines (and at most {MAX_JOBS} jobs are read)",
                    self.lines.len()
                ),
            ));
        }
        let (line, text) = self.find("the `- renewable :` line", |text| {
            text.trim_start()
                .trim_start_matches('-')
                .trim_start()
                .starts_with("renewable")
        })?;
        let resources = self.value_after_colon(line, text, "number of renewable resources")?;
        if resources > MAX_RESOURCES {
            return Err(self.error(
                line,
                format!("{resources} resources; at most {MAX_RESOURCES} are read"),
            ));
        }
        for kind in ["nonrenewable", "doubly constrained"] {
            let mut probe = self.position;
            while let Some(&(index, text)) = self.lines.get(probe) {
                probe += 1;
                let title = text.trim_start().trim_start_matches('-').trim_start();
                if title.starts_with(kind) {
                    let count = self.value_after_colon(index + 1, text, "number of resources")?;
                    if count > 0 {
                        return Err(self.error(
                            index + 1,
                            format!("{count} {kind} resources; only renewable ones are supported"),
                        ));
                    }
                    break;
                }
                if title.starts_with("PRECEDENCE") {
                    break;
                }
            }
        }

        let mut problem = Rcpsp {
            jobs: vec![Job::default(); jobs],
            capacities: Vec::new(),
        };
        self.find("the `PRECEDENCE RELATIONS:` section", |text| {
            text.trim_start().starts_with("PRECEDENCE RELATIONS")
        })?;
        self.next_data("the header of the precedence table")?;
        for expected in 1..=jobs {
            let (line, text) = self.next_data(&format!("the precedences of job {expected}"))?;
            let numbers = self.numbers(line, text, "the precedence table")?;
            let [number, modes, count, successors @ ..] = numbers.as_slice() else {
                return Err(self.error(line, "expected `job modes #successors successors...`"));
            };
            self.check_job_number(line, *number, expected)?;
            if *modes != 1 {
                return Err(self.error(
                    line,
                    format!("job {number} has {modes} modes; only single-mode files are supported"),
                ));
            }
            if successors.len() != *count as usize {
                return Err(self.error(
                    line,
                    format!(
                        "job {number} announces {count} successors but lists {}",
                        successors.len()
                    ),
                ));
            }
            let mut list = Vec::with_capacity(successors.len());
            for &successor in successors {
                if successor == 0 || successor as usize > jobs {
                    return Err(self.error(
                        line,
                        format!("job {number} names successor {successor}; jobs are 1..={jobs}"),
                    ));
                }
                list.push(successor - 1);
            }
            problem.jobs[expected - 1].successors = list;
        }

        self.find("the `REQUESTS/DURATIONS:` section", |text| {
            text.trim_start().starts_with("REQUESTS/DURATIONS")
        })?;
        let (line, header) = self.next_data("the header of the requests table")?;
        // `R 1  R 2 ...`: one `R` per resource, when the header names them at all.
        let columns = header
            .split_whitespace()
            .filter(|&word| word == "R")
            .count();
        if columns > 0 && columns != resources {
            return Err(self.error(line, "the requests header does not match the resources"));
        }
        for expected in 1..=jobs {
            let (line, text) =
                self.next_data(&format!("the duration and requests of job {expected}"))?;
            let numbers = self.numbers(line, text, "the requests table")?;
            if numbers.len() != 3 + resources {
                return Err(self.error(
                    line,
                    format!(
                        "expected `job mode duration` and {resources} requests, found {} numbers",
                        numbers.len()
                    ),
                ));
            }
            self.check_job_number(line, numbers[0], expected)?;
            if numbers[1] != 1 {
                return Err(self.error(
                    line,
                    format!(
                        "job {expected} is given mode {}; only mode 1 exists",
                        numbers[1]
                    ),
                ));
            }
            let job = &mut problem.jobs[expected - 1];
            job.duration = numbers[2];
            job.demands = numbers[3..].to_vec();
        }

        self.find("the `RESOURCEAVAILABILITIES:` section", |text| {
            text.trim_start().starts_with("RESOURCEAVAILABILITIES")
        })?;
        self.next_data("the header of the availabilities")?;
        let (line, text) = self.next_data("the resource availabilities")?;
        let capacities = self.numbers(line, text, "the availabilities")?;
        if capacities.len() != resources {
            return Err(self.error(
                line,
                format!(
                    "expected {resources} availabilities, found {}",
                    capacities.len()
                ),
            ));
        }
        problem.capacities = capacities;
        Ok(problem)
    }

    fn check_job_number(&self, line: usize, found: u32, expected: usize) -> Result<(), ReadError> {
        if found as usize == expected {
            Ok(())
        } else {
            Err(self.error(line, format!("expected job {expected}, found job {found}")))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMALL: &str = "\
************************************************************************
jobs (incl. supersource/sink ):  4
horizon                       :  10
RESOURCES
  - renewable                 :  2   R
  - nonrenewable              :  0   N
  - doubly constrained        :  0   D
************************************************************************
PRECEDENCE RELATIONS:
jobnr.    #modes  #successors   successors
   1        1          2           2   3
   2        1          1           4
   3        1          1           4
   4        1          0
************************************************************************
REQUESTS/DURATIONS:
jobnr. mode duration  R 1  R 2
------------------------------------------------------------------------
  1      1     0       0    0
  2      1     3       2    1
  3      1     4       1    1
  4      1     0       0    0
************************************************************************
RESOURCEAVAILABILITIES:
  R 1  R 2
    2    3
************************************************************************
";

    fn read_error(text: &str) -> String {
        read("t.sm", text.as_bytes()).unwrap_err().to_string()
    }

    #[test]
    fn reads_a_small_file() {
        let problem = read("t.sm", SMALL.as_bytes()).unwrap();
        assert_eq!(problem.capacities, vec![2, 3]);
        assert_eq!(problem.jobs.len(), 4);
        assert_eq!(problem.jobs[0].successors, vec![1, 2]);
        assert_eq!(problem.jobs[2].duration, 4);
        assert_eq!(problem.jobs[1].demands, vec![2, 1]);
        assert_eq!(problem.jobs[3].successors, Vec::<u32>::new());
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(
            read_error(&SMALL.replace(
                "   2        1          1           4",
                "   2        1          2           4"
            )),
            "t.sm:12: job 2 announces 2 successors but lists 1"
        );
        assert_eq!(
            read_error(&SMALL.replace("           2   3", "           2   9")),
            "t.sm:11: job 1 names successor 9; jobs are 1..=4"
        );
        assert_eq!(
            read_error(&SMALL.replace(
                "  3      1     4       1    1",
                "  3      1     4       1   x"
            )),
            "t.sm:21: expected a whole number in the requests table, found `x`"
        );
        assert_eq!(
            read_error(&SMALL.replace("    2    3", "    2")),
            "t.sm:26: expected 2 availabilities, found 1"
        );
        assert_eq!(
            read_error(&SMALL.replace("   3        1          1", "   3        2          1")),
            "t.sm:13: job 3 has 2 modes; only single-mode files are supported"
        );
        assert_eq!(
            read_error(&SMALL[..SMALL.find("RESOURCEAVAILABILITIES").unwrap()]),
            "t.sm:23: missing the `RESOURCEAVAILABILITIES:` section"
        );
        assert_eq!(
            read_error(""),
            "t.sm:1: missing the `jobs (incl. supersource/sink ):` line"
        );
        assert_eq!(
            read_error("jobs (incl. supersource/sink ):  99999999\n"),
            "t.sm:1: 99999999 jobs, but the file has 1 lines (and at most 1000000 jobs are read)"
        );
        assert_eq!(
            read("t.sm", b"jobs : 2\n\xff").unwrap_err().to_string(),
            "t.sm:2: the file is not UTF-8 text"
        );
        assert_eq!(
            read_error(&SMALL.replace(
                "nonrenewable              :  0",
                "nonrenewable              :  1"
            )),
            "t.sm:6: 1 nonrenewable resources; only renewable ones are supported"
        );
    }

    #[test]
    fn truncated_files_never_panic() {
        for end in 0..SMALL.len() {
            let _ = read("t.sm", &SMALL.as_bytes()[..end]);
        }
    }
}
