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
