//! What `print` writes: the canonical form of a file.

use expect_test::expect;

use crate::parse_ok;

#[test]
fn canonical_form_of_a_small_project() {
    // Written loosely: short codes, defaults spelled out, links out of order, several notes.
    let text = r#"
project "Website relaunch" {
    honor-constraints #true
    start "2027-03-01T09:00"
    currency "EUR"
    minutes-per-day 450
}
task "launch" "Launch" {
    milestone "live" "Site live" deadline="2027-04-30" duration="0d" {
        after "qa"
    }
}
resource "dev" name="Dev Team" max-units="300%" rate="62.5" {
    vacation from="2027-04-05" to="2027-04-09"
}
calendar "office" name="Office" {
    week "mon-thu" "09:00-12:30" "13:30-17:30"
    week "fri" "09:00-12:30"
    week "sat,sun"
    holiday "Easter Monday" date="2027-03-29"
    holiday "Christmas" yearly="12-25"
}
task "build" "Build" duration="1.5d" priority=500 effort-driven=#true {
    assign "dev" units=50
    constraint "snet" "2027-03-02"
    note "Static pages first."
    note "Then the shop."
}
task "qa" "QA" duration="900m" calendar="office" {
    after "build" type="FS" lag="0.5d"
    constraint "fnlt" "2027-03-31"
}
"#;
    let printed = regie_lang::print(&parse_ok(text).project);
    expect![[r#"
        project "Website relaunch" {
            start "2027-03-01T09:00"
            time-zone "UTC"
            currency "EUR"
            minutes-per-day 450
        }

        calendar "office" name="Office" {
            week "mon-thu" "09:00-12:30" "13:30-17:30"
            week "fri" "09:00-12:30"
            week "sat,sun"
            holiday "Easter Monday" date="2027-03-29"
            holiday "Christmas" yearly="12-25"
        }

        resource "dev" name="Dev Team" max-units="300%" rate=62.50 {
            vacation from="2027-04-05" to="2027-04-09"
        }

        task "launch" "Launch" {
            milestone "live" "Site live" deadline="2027-04-30" {
                after "qa"
            }
        }

        task "build" "Build" duration="1.5d" {
            assign "dev" units="50%"
            constraint "start-no-earlier-than" "2027-03-02"
            note "Static pages first."
            note "Then the shop."
        }

        task "qa" "QA" duration="2d" calendar="office" {
            after "build" lag="0.5d"
            constraint "finish-no-later-than" "2027-03-31"
        }
    "#]]
    .assert_eq(&printed);
}

#[test]
fn finish_dates_print_as_the_day_they_end() {
    let text = "project \"F\" {\n finish \"2027-06-30\"\n}\ntask \"a\" \"A\" deadline=\"2027-06-30T00:00\"\n";
    let printed = regie_lang::print(&parse_ok(text).project);
    expect![[r#"
        project "F" {
            finish "2027-06-30"
            time-zone "UTC"
            currency "EUR"
        }

        task "a" "A" deadline="2027-06-29"
    "#]]
    .assert_eq(&printed);
}

#[test]
fn progress_and_manual_dates() {
    // Written loosely: a bare number for the percentage, seconds, `start=` alone on a milestone,
    // lines in any order. Printed after the constraint, manual dates before progress; 0% and
    // everything else at its default left out.
    let text = r#"
project "Status" {
    start "2027-01-04"
    status-date "2027-01-13T17:00"
}
task "spec" "Specification" duration="5d" {
    progress 100 actual-finish="2027-01-08T17:00:00" actual-start="2027-01-04T08:00"
    note "Signed on Friday."
}
task "build" "Build" duration="10d" {
    progress "35%" actual-start="2027-01-11"
    after "spec"
}
task "setup" "Server setup" duration="2d" {
    progress actual-start="2027-01-13T13:00"
    manual finish="2027-01-15" start="2027-01-14"
    constraint "snet" "2027-01-11"
}
task "untouched" "Not started" duration="1d" {
    progress 0
}
milestone "m1" "Gate" {
    manual start="2027-01-22T17:00"
    progress 100 actual-finish="2027-01-22T16:00"
}
"#;
    let printed = regie_lang::print(&parse_ok(text).project);
    expect![[r#"
        project "Status" {
            start "2027-01-04"
            time-zone "UTC"
            currency "EUR"
            status-date "2027-01-13T17:00"
        }

        task "spec" "Specification" duration="5d" {
            progress "100%" actual-start="2027-01-04T08:00" actual-finish="2027-01-08T17:00"
            note "Signed on Friday."
        }

        task "build" "Build" duration="10d" {
            after "spec"
            progress "35%" actual-start="2027-01-11"
        }

        task "setup" "Server setup" duration="2d" {
            constraint "start-no-earlier-than" "2027-01-11"
            manual start="2027-01-14" finish="2027-01-15"
            progress actual-start="2027-01-13T13:00"
        }

        task "untouched" "Not started" duration="1d"

        milestone "m1" "Gate" {
            manual finish="2027-01-22T17:00"
            progress "100%" actual-finish="2027-01-22T16:00"
        }
    "#]]
    .assert_eq(&printed);
}
