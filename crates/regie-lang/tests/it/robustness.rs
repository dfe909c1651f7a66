//! Hostile and broken input: errors, never a panic, an abort or a hang.

use crate::example::EXAMPLE;

fn no_panic(text: &str) {
    match regie_lang::parse("plan.kdl", text) {
        Ok(parsed) => {
            let _ = regie_lang::print(&parsed.project);
        }
        Err(diagnostics) => {
            assert!(!diagnostics.is_empty());
            let _ = diagnostics.render(false);
            let _ = diagnostics.messages();
        }
    }
}

#[test]
fn every_truncation_of_the_example() {
    let mut cut = 0;
    while cut < EXAMPLE.len() {
        if EXAMPLE.is_char_boundary(cut) {
            no_panic(&EXAMPLE[..cut]);
        }
        cut += 37;
    }
}

#[test]
fn binary_junk() {
    // A fixed pseudo-random sequence, so the test is the same on every run.
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..50 {
        let bytes: Vec<u8> = (0..400)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        no_panic(&String::from_utf8_lossy(&bytes));
    }
    no_panic("\u{0}\u{1}\u{feff}{{{{\"\\");
    no_panic("\u{feff}project \"Demo\" { start \"2027-01-04\" }");
}

#[test]
fn junk_spliced_into_the_example() {
    let junk = [
        "{", "}", "\"", "=", "#", "/*", "(", "\\", "-", "é", "task", "after \"", "\n",
    ];
    let mut at = 11;
    for (i, piece) in junk.iter().cycle().take(150).enumerate() {
        at = (at + 997 * (i + 1)) % EXAMPLE.len();
        while !EXAMPLE.is_char_boundary(at) {
            at -= 1;
        }
        no_panic(&format!("{}{piece}{}", &EXAMPLE[..at], &EXAMPLE[at..]));
    }
}

#[test]
fn huge_numbers() {
    for property in [
        "priority=170141183460469231731687303715884105727",
        "priority=-170141183460469231731687303715884105728",
        "priority=1e400",
        "duration=\"99999999999999999999999999999d\"",
        "duration=\"1e9d\"",
        "duration=\"0.0000000000000000000001d\"",
        "work=\"999999999999999h\"",
        "deadline=\"99999-01-01\"",
    ] {
        no_panic(&format!("{}task \"a\" \"A\" {property}\n", crate::HEADER));
    }
    for setting in [
        "minutes-per-day 99999999999999999999999",
        "minutes-per-day 1.5",
        "minutes-per-day -1",
        "days-per-month 0",
    ] {
        no_panic(&format!(
            "project \"D\" {{\n start \"2027-01-04\"\n {setting}\n}}\n"
        ));
    }
    no_panic(&format!(
        "{}resource \"r\" rate=99999999999999999999999999999.99 max-units=\"99999999999%\"\n",
        crate::HEADER
    ));
    no_panic(&format!(
        "{}task \"a\"\ntask \"b\" {{\n after \"a\" lag=\"99999999999999%\"\n}}\n",
        crate::HEADER
    ));
}

#[test]
fn deep_nesting_is_refused_before_parsing() {
    let deep = "a {".repeat(100_000);
    let diagnostics = regie_lang::parse("plan.kdl", &deep).unwrap_err();
    assert_eq!(
        diagnostics.messages(),
        ["plan.kdl:1:303: blocks nest more than 100 levels deep"]
    );
    let closed = format!("{}{}", "a {".repeat(5_000), "}".repeat(5_000));
    assert_eq!(regie_lang::parse("plan.kdl", &closed).unwrap_err().len(), 1);
}

#[test]
fn many_errors_are_all_kept() {
    let mut text = crate::HEADER.to_owned();
    for i in 0..500 {
        text.push_str(&format!("task \"t{i}\" \"T\" duration=\"{i}x\"\n"));
    }
    let diagnostics = regie_lang::parse("plan.kdl", &text).unwrap_err();
    assert_eq!(diagnostics.len(), 500);
}
