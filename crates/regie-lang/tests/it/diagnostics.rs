//! Every kind of error, as the user sees it.

use expect_test::expect;

use crate::{HEADER, check_errors, check_messages};

fn with_header(body: &str) -> String {
    format!("{HEADER}{body}")
}

// -- names -------------------------------------------------------------------------------------

#[test]
fn unknown_top_level_node_suggests_the_closest_name() {
    check_errors(
        &with_header("taks \"a\" \"Alpha\"\n"),
        expect![[r#"
            1 error
              × unknown node `taks`
               ╭─[plan.kdl:4:1]
             3 │ }
             4 │ taks "a" "Alpha"
               · ──┬─
               ·   ╰── unknown node
               ╰────
              help: did you mean `task`?
        "#]],
    );
}

#[test]
fn project_setting_outside_the_project_block() {
    check_errors(
        &with_header("currency \"EUR\"\n"),
        expect![[r#"
            1 error
              × unknown node `currency`
               ╭─[plan.kdl:4:1]
             3 │ }
             4 │ currency "EUR"
               · ────┬───
               ·     ╰── unknown node
               ╰────
              help: `currency` belongs inside the `project` block
        "#]],
    );
}

#[test]
fn unknown_property_suggests_the_closest_name() {
    check_errors(
        &with_header("task \"a\" \"Alpha\" durration=\"2d\"\n"),
        expect![[r#"
            1 error
              × unknown property `durration` on `task`
               ╭─[plan.kdl:4:18]
             3 │ }
             4 │ task "a" "Alpha" durration="2d"
               ·                  ────┬────
               ·                      ╰── unknown property
               ╰────
              help: did you mean `duration`?
        "#]],
    );
}

#[test]
fn unknown_child_node_lists_what_is_allowed() {
    check_errors(
        &with_header("task \"a\" \"Alpha\" {\n    depends-on \"b\"\n}\ntask \"b\" \"Beta\"\n"),
        expect![[r#"
            1 error
              × unknown node `depends-on` in `task`
               ╭─[plan.kdl:5:5]
             4 │ task "a" "Alpha" {
             5 │     depends-on "b"
               ·     ─────┬────
               ·          ╰── unknown node
             6 │ }
               ╰────
              help: `task` may contain: `task`, `milestone`, `after`, `assign`, `constraint`, `manual`,
                    `progress`, `note`
        "#]],
    );
}

#[test]
fn property_written_as_a_node_and_node_written_as_a_property() {
    check_errors(
        &with_header(
            "task \"a\" \"Alpha\" after=\"b\" {\n    duration \"5d\"\n}\ntask \"b\" \"Beta\"\n",
        ),
        expect![[r#"
            2 errors
              × unknown property `after` on `task`
               ╭─[plan.kdl:4:18]
             3 │ }
             4 │ task "a" "Alpha" after="b" {
               ·                  ──┬──
               ·                    ╰── unknown property
             5 │     duration "5d"
               ╰────
              help: `after` is a node, not a property: write it inside the braces of `task`

              × unknown node `duration` in `task`
               ╭─[plan.kdl:5:5]
             4 │ task "a" "Alpha" after="b" {
             5 │     duration "5d"
               ·     ────┬───
               ·         ╰── unknown node
             6 │ }
               ╰────
              help: `duration` is a property: write it on the `task` line, like duration="5d"
        "#]],
    );
}

#[test]
fn property_given_twice() {
    check_errors(
        &with_header("task \"a\" \"Alpha\" duration=\"2d\" duration=\"3d\"\n"),
        expect![[r#"
            1 error
              × `duration` is given twice on `task`
               ╭─[plan.kdl:4:32]
             3 │ }
             4 │ task "a" "Alpha" duration="2d" duration="3d"
               ·                  ──────┬────── ──────┬──────
               ·                        │             ╰── second value
               ·                        ╰── first value
               ╰────
              help: keep one of them
        "#]],
    );
}

// -- references --------------------------------------------------------------------------------

#[test]
fn unknown_task_in_after_suggests_a_declared_id() {
    check_errors(
        &with_header(
            "task \"kickoff\" \"Kick-off\" duration=\"1d\"\ntask \"charter\" \"Charter\" {\n    after \"kikoff\"\n}\n",
        ),
        expect![[r#"
            1 error
              × unknown task `kikoff`
               ╭─[plan.kdl:6:11]
             5 │ task "charter" "Charter" {
             6 │     after "kikoff"
               ·           ────┬───
               ·               ╰── no such task
             7 │ }
               ╰────
              help: did you mean `kickoff`?
        "#]],
    );
}

#[test]
fn unknown_resource_in_assign() {
    check_errors(
        &with_header(
            "resource \"ana\" name=\"Ana Lima\"\ntask \"a\" \"Alpha\" duration=\"1d\" {\n    assign \"anna\"\n    assign \"zoe\"\n}\n",
        ),
        expect![[r#"
            2 errors
              × unknown resource `anna`
               ╭─[plan.kdl:6:12]
             5 │ task "a" "Alpha" duration="1d" {
             6 │     assign "anna"
               ·            ───┬──
               ·               ╰── no such resource
             7 │     assign "zoe"
               ╰────
              help: did you mean `ana`?

              × unknown resource `zoe`
               ╭─[plan.kdl:7:12]
             6 │     assign "anna"
             7 │     assign "zoe"
               ·            ──┬──
               ·              ╰── no such resource
             8 │ }
               ╰────
              help: no resource has this id; check the spelling, or declare it
        "#]],
    );
}

#[test]
fn unknown_calendars() {
    check_errors(
        &with_header(
            "calendar \"fr-standard\" {\n    week \"mon-fri\" \"08:00-12:00\"\n}\ncalendar \"night\" base=\"fr-standrd\"\nresource \"ana\" calendar=\"fr_standard\"\ntask \"a\" \"Alpha\" calendar=\"24h\"\n",
        ),
        expect![[r#"
            3 errors
              × unknown calendar `fr-standrd`
               ╭─[plan.kdl:7:23]
             6 │ }
             7 │ calendar "night" base="fr-standrd"
               ·                       ──────┬─────
               ·                             ╰── no such calendar
             8 │ resource "ana" calendar="fr_standard"
               ╰────
              help: did you mean `fr-standard`?

              × unknown calendar `fr_standard`
               ╭─[plan.kdl:8:25]
             7 │ calendar "night" base="fr-standrd"
             8 │ resource "ana" calendar="fr_standard"
               ·                         ──────┬──────
               ·                               ╰── no such calendar
             9 │ task "a" "Alpha" calendar="24h"
               ╰────
              help: did you mean `fr-standard`?

              × unknown calendar `24h`
               ╭─[plan.kdl:9:27]
             8 │ resource "ana" calendar="fr_standard"
             9 │ task "a" "Alpha" calendar="24h"
               ·                           ──┬──
               ·                             ╰── no such calendar
               ╰────
              help: no calendar has this id; check the spelling, or declare it
        "#]],
    );
}

#[test]
fn project_calendar_must_exist() {
    check_errors(
        "project \"Demo\" {\n    start \"2027-01-04\"\n    calendar \"standard\"\n}\n",
        expect![[r#"
            1 error
              × unknown calendar `standard`
               ╭─[plan.kdl:3:14]
             2 │     start "2027-01-04"
             3 │     calendar "standard"
               ·              ─────┬────
               ·                   ╰── no such calendar
             4 │ }
               ╰────
              help: the file declares no calendar
        "#]],
    );
}

// -- duplicates --------------------------------------------------------------------------------

#[test]
fn duplicate_task_id_points_at_both() {
    check_errors(
        &with_header(
            "task \"a\" \"Alpha\" {\n    task \"b\" \"Beta\"\n    task \"a\" \"Again\"\n}\n",
        ),
        expect![[r#"
            1 error
              × duplicate task id `a` (first defined on line 4)
               ╭─[plan.kdl:6:10]
             3 │ }
             4 │ task "a" "Alpha" {
               ·      ─┬─
               ·       ╰── first defined here
             5 │     task "b" "Beta"
             6 │     task "a" "Again"
               ·          ─┬─
               ·           ╰── declared again
             7 │ }
               ╰────
              help: task ids are unique in a file: rename one of them
        "#]],
    );
}

#[test]
fn duplicate_far_apart_mentions_the_line_only() {
    let filler = "task \"x\" \"Filler\"\n".replace('x', "f1")
        + &(2..12)
            .map(|i| format!("task \"f{i}\" \"Filler\"\n"))
            .collect::<String>();
    check_messages(
        &with_header(&format!("resource \"ana\"\n{filler}resource \"ana\"\n")),
        expect![[r#"
            plan.kdl:16:10: duplicate resource id `ana` (first defined on line 4)
        "#]],
    );
    let diagnostics = regie_lang::parse(
        "plan.kdl",
        &with_header(&format!("resource \"ana\"\n{filler}resource \"ana\"\n")),
    )
    .unwrap_err();
    let rendered = diagnostics.render(false);
    assert!(
        !rendered.contains("f5"),
        "drew the lines in between:\n{rendered}"
    );
}

#[test]
fn duplicate_calendar_id() {
    check_errors(
        &with_header("calendar \"std\"\ncalendar \"std\"\n"),
        expect![[r#"
            1 error
              × duplicate calendar id `std` (first defined on line 4)
               ╭─[plan.kdl:5:10]
             3 │ }
             4 │ calendar "std"
               ·          ──┬──
               ·            ╰── first defined here
             5 │ calendar "std"
               ·          ──┬──
               ·            ╰── declared again
               ╰────
              help: calendar ids are unique in a file: rename one of them
        "#]],
    );
}

#[test]
fn duplicate_link_and_assignment() {
    check_errors(
        &with_header(
            "resource \"ana\"\ntask \"a\" \"Alpha\"\ntask \"b\" \"Beta\" {\n    after \"a\"\n    after \"a\" type=\"SS\"\n    assign \"ana\"\n    assign \"ana\" units=\"50%\"\n}\n",
        ),
        expect![[r#"
            2 errors
              × `b` already comes after `a` (line 7)
               ╭─[plan.kdl:8:11]
             6 │ task "b" "Beta" {
             7 │     after "a"
               ·     ────┬────
               ·         ╰── first link
             8 │     after "a" type="SS"
               ·           ─┬─
               ·            ╰── second link
             9 │     assign "ana"
               ╰────
              help: two tasks are linked once; keep one `after`

              × `ana` is already assigned to `b` (line 9)
                ╭─[plan.kdl:10:12]
              8 │     after "a" type="SS"
              9 │     assign "ana"
                ·     ──────┬─────
                ·           ╰── first assignment
             10 │     assign "ana" units="50%"
                ·            ──┬──
                ·              ╰── assigned again
             11 │ }
                ╰────
              help: assign a resource to a task once; give the total with units= or work=
        "#]],
    );
}

// -- values ------------------------------------------------------------------------------------

#[test]
fn bad_dates() {
    check_errors(
        "project \"Demo\" {\n    start \"2027-13-01\"\n    status-date \"2027-02-30\"\n}\ntask \"a\" \"Alpha\" deadline=\"next friday\"\n",
        expect![[r#"
            3 errors
              × `2027-13-01` is not a date: there is no month 13
               ╭─[plan.kdl:2:11]
             1 │ project "Demo" {
             2 │     start "2027-13-01"
               ·           ──────┬─────
               ·                 ╰── not a date
             3 │     status-date "2027-02-30"
               ╰────
              help: dates look like 2027-01-04, date-times like 2027-01-04T08:00

              × `2027-02-30` is not a date: February 2027 has no day 30
               ╭─[plan.kdl:3:17]
             2 │     start "2027-13-01"
             3 │     status-date "2027-02-30"
               ·                 ──────┬─────
               ·                       ╰── not a date
             4 │ }
               ╰────
              help: dates look like 2027-01-04, date-times like 2027-01-04T08:00

              × `next friday` is not a date
               ╭─[plan.kdl:5:27]
             4 │ }
             5 │ task "a" "Alpha" deadline="next friday"
               ·                           ──────┬──────
               ·                                 ╰── not a date
               ╰────
              help: dates look like 2027-01-04, date-times like 2027-01-04T08:00
        "#]],
    );
}

#[test]
fn bad_date_times() {
    check_messages(
        "project \"Demo\" {\n    start \"2027-01-04T25:00\"\n}\ntask \"a\" \"A\" deadline=\"2027-01-04T8:00\"\n",
        expect![[r#"
            plan.kdl:2:11: `2027-01-04T25:00` is not a date-time: there is no time 25:00
            plan.kdl:4:23: `2027-01-04T8:00` is not a date-time
        "#]],
    );
}

#[test]
fn bad_durations() {
    check_errors(
        &with_header(
            "task \"a\" \"Alpha\" duration=\"5\"\ntask \"b\" \"Beta\" duration=\"3 days\"\ntask \"c\" \"Gamma\" duration=\"-2d\"\ntask \"d\" \"Delta\" work=\"2ed\"\n",
        ),
        expect![[r#"
            4 errors
              × `5` has no unit
               ╭─[plan.kdl:4:27]
             3 │ }
             4 │ task "a" "Alpha" duration="5"
               ·                           ─┬─
               ·                            ╰── not a duration
             5 │ task "b" "Beta" duration="3 days"
               ╰────
              help: add a unit: `5d` for days, `5h` for hours (durations look like 5d, 4h, 30m, 2w, 1mo, 3ed
                    (elapsed days), 1.5d)

              × `3 days` has a space before its unit
               ╭─[plan.kdl:5:26]
             4 │ task "a" "Alpha" duration="5"
             5 │ task "b" "Beta" duration="3 days"
               ·                          ────┬───
               ·                              ╰── not a duration
             6 │ task "c" "Gamma" duration="-2d"
               ╰────
              help: write the unit right after the number, like `3d`

              × `-2d` is negative
               ╭─[plan.kdl:6:27]
             5 │ task "b" "Beta" duration="3 days"
             6 │ task "c" "Gamma" duration="-2d"
               ·                           ──┬──
               ·                             ╰── not a duration
             7 │ task "d" "Delta" work="2ed"
               ╰────
              help: a duration is zero or more; only a link's lag can be negative (a lead)

              × `2ed` is elapsed time; work is counted in working time
               ╭─[plan.kdl:7:23]
             6 │ task "c" "Gamma" duration="-2d"
             7 │ task "d" "Delta" work="2ed"
               ·                       ──┬──
               ·                         ╰── not a duration
               ╰────
              help: write it without the `e`, like 16h or 2d
        "#]],
    );
}

#[test]
fn bad_lags_units_and_money() {
    check_messages(
        &with_header(
            "resource \"ana\" rate=85.005 max-units=\"lots\"\ntask \"a\" \"Alpha\"\ntask \"b\" \"Beta\" {\n    after \"a\" lag=\"2 days\"\n    after \"a\" lag=\"12.5%\"\n    assign \"ana\" units=\"half\"\n}\n",
        ),
        expect![[r#"
            plan.kdl:4:21: `85.005` has more than two decimals
            plan.kdl:4:38: `lots` is not a percentage
            plan.kdl:7:19: `2 days` has a space before its unit
            plan.kdl:8:19: `12.5%` is not a lag
            plan.kdl:9:24: `half` is not a percentage
        "#]],
    );
}

#[test]
fn wrong_value_types() {
    check_errors(
        &with_header(
            "task \"a\" \"Alpha\" duration=5 effort-driven=\"false\" priority=\"high\"\ntask 12 \"Twelve\"\n",
        ),
        expect![[r#"
            4 errors
              × `duration` must be a string, not a number
               ╭─[plan.kdl:4:27]
             3 │ }
             4 │ task "a" "Alpha" duration=5 effort-driven="false" priority="high"
               ·                           ┬
               ·                           ╰── not a string
             5 │ task 12 "Twelve"
               ╰────
              help: write it in quotes, like duration="5d"

              × `effort-driven` must be #true or #false, not a string
               ╭─[plan.kdl:4:43]
             3 │ }
             4 │ task "a" "Alpha" duration=5 effort-driven="false" priority="high"
               ·                                           ───┬───
               ·                                              ╰── not #true or #false
             5 │ task 12 "Twelve"
               ╰────
              help: KDL v2 writes booleans without quotes: #false

              × `priority` must be a whole number, not a string
               ╭─[plan.kdl:4:60]
             3 │ }
             4 │ task "a" "Alpha" duration=5 effort-driven="false" priority="high"
               ·                                                            ───┬──
               ·                                                               ╰── not a whole number
             5 │ task 12 "Twelve"
               ╰────
              help: write it without quotes, like priority=700

              × the task id must be a string, not a number
               ╭─[plan.kdl:5:6]
             4 │ task "a" "Alpha" duration=5 effort-driven="false" priority="high"
             5 │ task 12 "Twelve"
               ·      ─┬
               ·       ╰── not a string
               ╰────
              help: write it in quotes, like "design"
        "#]],
    );
}

#[test]
fn out_of_range_numbers() {
    check_messages(
        "project \"Demo\" {\n    start \"2027-01-04\"\n    minutes-per-day 2000\n}\ntask \"a\" \"Alpha\" priority=1001\ntask \"b\" \"Beta\" priority=99999999999999999999999999999\n",
        expect![[r#"
            plan.kdl:3:21: `minutes-per-day` must be between 1 and 1440, not 2000
            plan.kdl:5:27: `priority` must be between 0 and 1000, not 1001
            plan.kdl:6:26: `priority` must be between 0 and 1000, not 99999999999999999999999999999
        "#]],
    );
}

#[test]
fn unknown_keywords() {
    check_messages(
        &with_header(
            "resource \"ana\" kind=\"person\"\ntask \"a\" \"Alpha\" type=\"fixed-durations\"\ntask \"b\" \"Beta\" {\n    after \"a\" type=\"XX\"\n}\n",
        ),
        expect![[r#"
            plan.kdl:4:21: unknown resource kind `person`
            plan.kdl:5:23: unknown task type `fixed-durations`
            plan.kdl:7:20: unknown link type `XX`
        "#]],
    );
}

#[test]
fn unknown_time_zone_and_currency() {
    check_errors(
        "project \"Demo\" {\n    start \"2027-01-04\"\n    time-zone \"Europe/Pari\"\n    currency \"euro\"\n}\n",
        expect![[r#"
            2 errors
              × unknown time zone `Europe/Pari`
               ╭─[plan.kdl:3:15]
             2 │     start "2027-01-04"
             3 │     time-zone "Europe/Pari"
               ·               ──────┬──────
               ·                     ╰── unknown time zone
             4 │     currency "euro"
               ╰────
              help: did you mean `Europe/Paris`?

              × `euro` is not a currency code
               ╭─[plan.kdl:4:14]
             3 │     time-zone "Europe/Pari"
             4 │     currency "euro"
               ·              ───┬──
               ·                 ╰── not a currency code
             5 │ }
               ╰────
              help: use an ISO 4217 code: three capital letters, like "EUR" or "USD"
        "#]],
    );
}

// -- arguments ---------------------------------------------------------------------------------

#[test]
fn missing_arguments() {
    check_errors(
        "project {\n    start\n}\ntask\nresource\n",
        expect![[r#"
            4 errors
              × `project` is missing its name
               ╭─[plan.kdl:1:1]
             1 │ project {
               · ───┬───
               ·    ╰── needs a name
             2 │     start
               ╰────
              help: write it like: project "CRM migration" { start "2027-01-04" }

              × `start` is missing its value
               ╭─[plan.kdl:2:5]
             1 │ project {
             2 │     start
               ·     ──┬──
               ·       ╰── needs a value
             3 │ }
               ╰────
              help: write it like: start "2027-01-04T08:00"

              × `task` is missing its id
               ╭─[plan.kdl:4:1]
             3 │ }
             4 │ task
               · ──┬─
               ·   ╰── needs an id
             5 │ resource
               ╰────
              help: write it like: task "design" "Design the API" duration="5d"

              × `resource` is missing its id
               ╭─[plan.kdl:5:1]
             4 │ task
             5 │ resource
               · ────┬───
               ·     ╰── needs an id
               ╰────
              help: write it like: resource "ana" name="Ana Lima" rate=85.00
        "#]],
    );
}

#[test]
fn unexpected_arguments_and_blocks() {
    check_messages(
        "project \"Demo\" \"extra\" {\n    start \"2027-01-04\" {\n        nested\n    }\n}\ntask \"a\" \"Alpha\" \"extra\"\n",
        expect![[r#"
            plan.kdl:1:16: unexpected argument to `project`
            plan.kdl:2:24: `start` takes no block
            plan.kdl:6:18: unexpected argument to `task`
        "#]],
    );
}

#[test]
fn constraints() {
    check_errors(
        &with_header(
            "task \"a\" \"Alpha\" {\n    constraint \"start-no-earlier\" \"2027-01-11\"\n}\ntask \"b\" \"Beta\" {\n    constraint \"snet\"\n}\ntask \"c\" \"Gamma\" {\n    constraint \"alap\" \"2027-01-11\"\n}\ntask \"d\" \"Delta\" {\n    constraint \"mso\" \"2027-01-11\"\n    constraint \"mfo\" \"2027-01-12\"\n}\n",
        ),
        expect![[r#"
            4 errors
              × unknown constraint `start-no-earlier`
               ╭─[plan.kdl:5:16]
             4 │ task "a" "Alpha" {
             5 │     constraint "start-no-earlier" "2027-01-11"
               ·                ─────────┬────────
               ·                         ╰── unknown constraint
             6 │ }
               ╰────
              help: did you mean `start-no-earlier-than`?

              × `start-no-earlier-than` needs a date
               ╭─[plan.kdl:8:5]
             7 │ task "b" "Beta" {
             8 │     constraint "snet"
               ·     ────────┬────────
               ·             ╰── which date?
             9 │ }
               ╰────
              help: write it like: constraint "start-no-earlier-than" "2027-03-01"

              × `as-late-as-possible` takes no date
                ╭─[plan.kdl:11:23]
             10 │ task "c" "Gamma" {
             11 │     constraint "alap" "2027-01-11"
                ·                       ──────┬─────
                ·                             ╰── not expected
             12 │ }
                ╰────
              help: write it like: constraint "as-late-as-possible"

              × a task has at most one constraint
                ╭─[plan.kdl:15:5]
             13 │ task "d" "Delta" {
             14 │     constraint "mso" "2027-01-11"
                ·     ──────────────┬──────────────
                ·                   ╰── first constraint
             15 │     constraint "mfo" "2027-01-12"
                ·     ──────────────┬──────────────
                ·                   ╰── second constraint
             16 │ }
                ╰────
              help: keep the one that matters; deadlines go in deadline= and never move the task
        "#]],
    );
}

// -- structure ---------------------------------------------------------------------------------

#[test]
fn milestone_with_a_duration() {
    check_errors(
        &with_header("milestone \"g1\" \"Gate 1\" duration=\"2d\"\n"),
        expect![[r#"
            1 error
              × a milestone has no duration, but `g1` is given 2d
               ╭─[plan.kdl:4:34]
             3 │ }
             4 │ milestone "g1" "Gate 1" duration="2d"
               · ────┬────                        ──┬─
               ·     │                              ╰── nonzero duration
               ·     ╰── a milestone
               ╰────
              help: remove `duration`, or make it a `task` if it takes time
        "#]],
    );
}

#[test]
fn milestone_containing_tasks() {
    check_errors(
        &with_header("milestone \"g1\" \"Gate 1\" {\n    task \"a\" \"Alpha\"\n}\n"),
        expect![[r#"
            1 error
              × a milestone cannot contain tasks
               ╭─[plan.kdl:5:5]
             3 │ }
             4 │ milestone "g1" "Gate 1" {
               · ────┬────
               ·     ╰── this milestone
             5 │     task "a" "Alpha"
               ·     ──┬─
               ·       ╰── inside a milestone
             6 │ }
               ╰────
              help: make the milestone a `task` (a summary) and put a milestone inside it at the end
        "#]],
    );
}

#[test]
fn link_from_a_task_to_itself() {
    check_errors(
        &with_header("task \"a\" \"Alpha\" duration=\"1d\" {\n    after \"a\"\n}\n"),
        expect![[r#"
            1 error
              × task `a` comes after itself
               ╭─[plan.kdl:5:11]
             4 │ task "a" "Alpha" duration="1d" {
             5 │     after "a"
               ·           ─┬─
               ·            ╰── itself
             6 │ }
               ╰────
              help: a link joins two different tasks: remove this one
        "#]],
    );
}

#[test]
fn link_between_a_summary_and_its_descendants() {
    check_errors(
        &with_header(
            "task \"phase\" \"Phase\" {\n    after \"deep\"\n    task \"sub\" \"Sub-phase\" {\n        task \"deep\" \"Deep task\" {\n            after \"phase\"\n        }\n    }\n}\n",
        ),
        expect![[r#"
            2 errors
              × `deep` is inside `phase`: a summary task cannot be linked to its own subtasks
               ╭─[plan.kdl:5:11]
             4 │ task "phase" "Phase" {
             5 │     after "deep"
               ·           ───┬──
               ·              ╰── summary and subtask
             6 │     task "sub" "Sub-phase" {
               ╰────
              help: link the subtask to tasks outside the summary instead; a summary spans its subtasks anyway

              × `deep` is inside `phase`: a summary task cannot be linked to its own subtasks
               ╭─[plan.kdl:8:19]
             7 │         task "deep" "Deep task" {
             8 │             after "phase"
               ·                   ───┬───
               ·                      ╰── summary and subtask
             9 │         }
               ╰────
              help: link the subtask to tasks outside the summary instead; a summary spans its subtasks anyway
        "#]],
    );
}

#[test]
fn missing_project_node() {
    check_errors(
        "task \"a\" \"Alpha\"\n",
        expect![[r#"
        1 error
          × the file has no `project` node
           ╭─[plan.kdl:1:1]
         1 │ task "a" "Alpha"
           · ▲
           · ╰── expected `project` here
           ╰────
          help: start the file with: project "Name" { start "2027-01-04" }
    "#]],
    );
}

#[test]
fn empty_file() {
    check_errors(
        "",
        expect![[r#"
        1 error
          × the file has no `project` node
           ╭─[plan.kdl:1:1]
           ╰────
          help: start the file with: project "Name" { start "2027-01-04" }
    "#]],
    );
}

#[test]
fn two_project_nodes() {
    check_errors(
        "project \"One\" {\n    start \"2027-01-04\"\n}\nproject \"Two\" {\n    start \"2027-02-01\"\n}\n",
        expect![[r#"
            1 error
              × a second `project` node (the first is on line 1)
               ╭─[plan.kdl:4:1]
             1 │ project "One" {
               · ──────┬──────
               ·       ╰── first project
             2 │     start "2027-01-04"
             3 │ }
             4 │ project "Two" {
               · ──────┬──────
               ·       ╰── second project
             5 │     start "2027-02-01"
               ╰────
              help: a file describes one project: merge the two blocks
        "#]],
    );
}

#[test]
fn project_without_start_and_with_both_anchors() {
    check_messages(
        "project \"Demo\" {\n    currency \"EUR\"\n}\n",
        expect![[r#"
            plan.kdl:1:1: the project has no `start`
        "#]],
    );
    check_messages(
        "project \"Demo\" {\n    start \"2027-01-04\"\n    finish \"2027-06-30\"\n    start \"2027-01-05\"\n}\n",
        expect![[r#"
            plan.kdl:3:5: a project has a start or a finish, not both
            plan.kdl:4:5: `start` is given twice in the project
        "#]],
    );
}

#[test]
fn calendar_base_cycle() {
    check_errors(
        &with_header(
            "calendar \"a\" base=\"c\"\ncalendar \"b\" base=\"a\"\ncalendar \"c\" base=\"b\"\ncalendar \"self\" base=\"self\"\n",
        ),
        expect![[r#"
            2 errors
              × calendar `a` inherits from itself: a → c → b → a
               ╭─[plan.kdl:4:19]
             3 │ }
             4 │ calendar "a" base="c"
               ·                   ─┬─
               ·                    ╰── closes the cycle
             5 │ calendar "b" base="a"
               ╰────
              help: one calendar of the chain must have no `base`, or a base outside it

              × calendar `self` inherits from itself: self → self
               ╭─[plan.kdl:7:22]
             6 │ calendar "c" base="b"
             7 │ calendar "self" base="self"
               ·                      ───┬──
               ·                         ╰── closes the cycle
               ╰────
              help: one calendar of the chain must have no `base`, or a base outside it
        "#]],
    );
}

#[test]
fn calendar_weeks_and_exceptions() {
    check_messages(
        &with_header(
            "calendar \"c\" {\n    week \"mon-fri\" \"08:00-12:00\" \"11:00-17:00\"\n    week \"fri-mon\"\n    week \"mon\" \"09:00-17:00\"\n    week \"sat\" \"18:00-08:00\"\n    holiday \"Nothing\"\n    holiday \"Half\" from=\"2027-01-01\"\n    holiday \"Both\" date=\"2027-01-01\" yearly=\"01-01\"\n    holiday \"Backwards\" from=\"2027-02-01\" to=\"2027-01-01\"\n    holiday \"Bad\" yearly=\"02-30\"\n    holiday \"Fifth\" yearly=\"5th mon may\"\n    holiday \"Years\" date=\"2027-01-01\" from-year=2027\n    work \"No hours\" date=\"2027-01-02\"\n}\n",
        ),
        expect![[r#"
            plan.kdl:5:34: `11:00-17:00` starts before the previous shift ends
            plan.kdl:6:10: `fri-mon` goes backwards
            plan.kdl:8:16: `18:00-08:00` ends before it starts
            plan.kdl:9:5: `holiday` has no dates
            plan.kdl:10:20: `from` without `to`
            plan.kdl:11:38: `yearly` cannot be combined with `date`
            plan.kdl:12:43: `to` 2027-01-01 is before `from` 2027-02-01
            plan.kdl:13:26: `02-30`: February has no day 30
            plan.kdl:14:28: `5th` is not 1st, 2nd, 3rd, 4th or last
            plan.kdl:15:39: `from-year` only goes with `yearly`
            plan.kdl:16:5: `work` is missing its working hours
        "#]],
    );
}

#[test]
fn twenty_four_hours_and_week_conflict() {
    check_messages(
        &with_header("calendar \"c\" twenty-four-hours=#true {\n    week \"sat,sun\"\n}\n"),
        expect![[r#"
            plan.kdl:5:10: the hours of saturday are already set
            plan.kdl:5:10: the hours of sunday are already set
        "#]],
    );
}

#[test]
fn tasks_nested_too_deep() {
    let depth = 66;
    let mut text = HEADER.to_owned();
    for level in 0..depth {
        text.push_str(&format!("task \"t{level}\" {{\n"));
    }
    text.push_str(&"}\n".repeat(depth));
    check_messages(
        &text,
        expect![[r#"
        plan.kdl:68:1: tasks nest more than 64 levels deep
    "#]],
    );
}

#[test]
fn type_annotations_are_refused() {
    check_messages(
        &with_header("(special)task \"a\" \"Alpha\" duration=(days)\"2d\"\n"),
        expect![[r#"
            plan.kdl:4:2: type annotation `(special)` on `task`
            plan.kdl:4:37: type annotation `(days)`
        "#]],
    );
}

// -- syntax ------------------------------------------------------------------------------------

#[test]
fn truncated_file() {
    check_errors(
        "project \"Demo\" {\n    start \"2027-01-04\"\n}\ntask \"a\" \"Alpha\" {\n    task \"b\" \"Beta\" {\n        after \"x\"\n",
        expect![[r#"
            2 errors
              × no closing '}' for child block
               ╭─[plan.kdl:4:18]
             3 │ }
             4 │ task "a" "Alpha" {
               ·                  ┬
               ·                  ╰── not closed
             5 │     task "b" "Beta" {
               ╰────
              help: every `{` needs a matching `}`: is the file cut short?

              × no closing '}' for child block
               ╭─[plan.kdl:5:21]
             4 │ task "a" "Alpha" {
             5 │     task "b" "Beta" {
               ·                     ┬
               ·                     ╰── not closed
             6 │         after "x"
               ╰────
              help: every `{` needs a matching `}`: is the file cut short?
        "#]],
    );
}

#[test]
fn syntax_errors_are_all_reported() {
    check_errors(
        "project \"Demo\" {\n    start \"2027-01-04\"\n}\ntask \"a\" \"Alpha\" effort-driven=true\ntask \"b\" \"Beta\" duration=\ntask \"c\" \"unterminated\n",
        expect![[r#"
            2 errors
              × expected identifier string
               ╭─[plan.kdl:4:32]
             3 │ }
             4 │ task "a" "Alpha" effort-driven=true
               ·                                ──┬─
               ·                                  ╰── not identifier string
             5 │ task "b" "Beta" duration=
               ╰────
              help: KDL v2 writes #true, with a `#`

              × expected property value
               ╭─[plan.kdl:5:25]
             4 │ task "a" "Alpha" effort-driven=true
             5 │ task "b" "Beta" duration=
               ·                         ┬
               ·                         ╰── not property value
             6 │ task "c" "unterminated
               ╰────
              help: write a value after `=`, like duration="5d"
        "#]],
    );
}

// -- several at once ---------------------------------------------------------------------------

#[test]
fn several_errors_in_one_file_are_all_reported_in_order() {
    let text = "project \"Demo\" {\n    start \"2027-01-04\"\n    minutes-per-dya 450\n}\nresource \"ana\" rate=\"85.001\"\ntask \"a\" \"Alpha\" duration=\"2x\" {\n    after \"zz\"\n    assign \"bob\"\n}\nmilestone \"m\" \"M\" duration=\"1d\"\ntask \"a\" \"Again\"\n";
    check_messages(
        text,
        expect![[r#"
        plan.kdl:3:5: unknown node `minutes-per-dya` in `project`
        plan.kdl:5:21: `85.001` has more than two decimals
        plan.kdl:6:27: `2x` has an unknown unit `x`
        plan.kdl:7:11: unknown task `zz`
        plan.kdl:8:12: unknown resource `bob`
        plan.kdl:10:28: a milestone has no duration, but `m` is given 1d
        plan.kdl:11:6: duplicate task id `a` (first defined on line 6)
    "#]],
    );
    let diagnostics = regie_lang::parse("plan.kdl", text).unwrap_err();
    assert_eq!(diagnostics.len(), 7);
}

// -- rendering ---------------------------------------------------------------------------------

#[test]
fn diagnostic_at_locates_a_later_error() {
    let text = with_header(
        "task \"a\" \"Alpha\" {\n    after \"b\"\n}\ntask \"b\" \"Beta\" {\n    after \"a\"\n}\n",
    );
    let parsed = crate::parse_ok(&text);
    let span = parsed.source_map.links[1];
    let diagnostics = regie_lang::diagnostic_at(
        "plan.kdl",
        &text,
        span,
        "dependency cycle: Alpha → Beta → Alpha",
        Some("a task cannot wait for itself: remove or reverse one of these links"),
    );
    expect![[r#"
        1 error
          × dependency cycle: Alpha → Beta → Alpha
           ╭─[plan.kdl:8:5]
         7 │ task "b" "Beta" {
         8 │     after "a"
           ·     ────┬────
           ·         ╰── here
         9 │ }
           ╰────
          help: a task cannot wait for itself: remove or reverse one of these links
    "#]]
    .assert_eq(&crate::counted(&diagnostics));
    assert_eq!(diagnostics.to_string(), diagnostics.render(false));
    assert_eq!(
        diagnostics.messages(),
        ["plan.kdl:8:5: dependency cycle: Alpha → Beta → Alpha"]
    );
}

#[test]
fn colour_only_when_asked() {
    let diagnostics = regie_lang::parse("plan.kdl", "task \"a\"\n").unwrap_err();
    assert!(!diagnostics.render(false).contains('\u{1b}'));
    assert!(diagnostics.render(true).contains('\u{1b}'));
    assert_eq!(diagnostics.len(), 1);
    assert!(!diagnostics.is_empty());
}

#[test]
fn columns_count_characters_not_bytes() {
    check_messages(
        &with_header("task \"é\" \"Ça\" durée=\"2d\"\n"),
        expect![[r#"
            plan.kdl:4:15: unknown property `durée` on `task`
        "#]],
    );
}

// -- progress and manual dates -----------------------------------------------------------------

#[test]
fn progress_bad_percentages_and_dates() {
    check_errors(
        &with_header(
            "task \"a\" {\n    progress \"120%\" actual-start=\"2027-02-30\"\n}\ntask \"b\" {\n    progress -5\n}\ntask \"c\" {\n    progress \"half\"\n}\n",
        ),
        expect![[r#"
            4 errors
              × `120%` is more than 100%
               ╭─[plan.kdl:5:14]
             4 │ task "a" {
             5 │     progress "120%" actual-start="2027-02-30"
               ·              ───┬──
               ·                 ╰── not a percentage
             6 │ }
               ╰────
              help: percent complete is a whole percentage from 0 to 100, like "40%" or 40

              × `2027-02-30` is not a date: February 2027 has no day 30
               ╭─[plan.kdl:5:34]
             4 │ task "a" {
             5 │     progress "120%" actual-start="2027-02-30"
               ·                                  ──────┬─────
               ·                                        ╰── not a date
             6 │ }
               ╰────
              help: dates look like 2027-01-04, date-times like 2027-01-04T08:00

              × `-5` is negative
               ╭─[plan.kdl:8:14]
             7 │ task "b" {
             8 │     progress -5
               ·              ─┬
               ·               ╰── not a percentage
             9 │ }
               ╰────
              help: percent complete is a whole percentage from 0 to 100, like "40%" or 40

              × `half` is not a percentage
                ╭─[plan.kdl:11:14]
             10 │ task "c" {
             11 │     progress "half"
                ·              ───┬──
                ·                 ╰── not a percentage
             12 │ }
                ╰────
              help: percent complete is a whole percentage from 0 to 100, like "40%" or 40
        "#]],
    );
}

#[test]
fn progress_actual_finish_without_start_or_before_it() {
    check_errors(
        &with_header(
            "task \"a\" duration=\"5d\" {\n    progress \"100%\" actual-finish=\"2027-01-08\"\n}\ntask \"b\" duration=\"5d\" {\n    progress \"100%\" actual-start=\"2027-01-11T08:00\" actual-finish=\"2027-01-08\"\n}\n",
        ),
        expect![[r#"
            2 errors
              × `actual-finish` without `actual-start`
               ╭─[plan.kdl:5:35]
             4 │ task "a" duration="5d" {
             5 │     progress "100%" actual-finish="2027-01-08"
               ·                                   ──────┬─────
               ·                                         ╰── needs actual-start
             6 │ }
               ╰────
              help: a finished task has started: add actual-start="…", when work began

              × `actual-finish` 2027-01-08 is before `actual-start` 2027-01-11T08:00
               ╭─[plan.kdl:8:67]
             7 │ task "b" duration="5d" {
             8 │     progress "100%" actual-start="2027-01-11T08:00" actual-finish="2027-01-08"
               ·                                  ─────────┬────────               ──────┬─────
               ·                                           │                             ╰── before the start
               ·                                           ╰── actual start
             9 │ }
               ╰────
              help: swap the two dates (a date alone as actual-finish= means the end of that day)
        "#]],
    );
}

#[test]
fn progress_percent_and_actual_dates_disagree() {
    check_errors(
        &with_header(
            "task \"a\" {\n    progress \"100%\" actual-start=\"2027-01-04\"\n}\ntask \"b\" {\n    progress \"60%\" actual-start=\"2027-01-04\" actual-finish=\"2027-01-08\"\n}\ntask \"c\" {\n    progress \"40%\"\n}\ntask \"d\" {\n    progress\n}\n",
        ),
        expect![[r#"
            4 errors
              × the task is 100% complete but has no `actual-finish`
               ╭─[plan.kdl:5:14]
             4 │ task "a" {
             5 │     progress "100%" actual-start="2027-01-04"
               ·              ───┬──
               ·                 ╰── finished when?
             6 │ }
               ╰────
              help: add actual-finish="…", when it was finished; or lower the percentage if work remains

              × the task has an actual finish, but is 60% complete
               ╭─[plan.kdl:8:14]
             7 │ task "b" {
             8 │     progress "60%" actual-start="2027-01-04" actual-finish="2027-01-08"
               ·              ──┬──                                         ──────┬─────
               ·                │                                                 ╰── finished here
               ·                ╰── not 100%
             9 │ }
               ╰────
              help: a finished task is 100% complete: write progress "100%", or remove actual-finish if work
                    remains

              × the task is 40% complete but has no `actual-start`
                ╭─[plan.kdl:11:14]
             10 │ task "c" {
             11 │     progress "40%"
                ·              ──┬──
                ·                ╰── started when?
             12 │ }
                ╰────
              help: add actual-start="…", when work began

              × `progress` gives no percent complete and no actual dates
                ╭─[plan.kdl:14:5]
             13 │ task "d" {
             14 │     progress
                ·     ────┬───
                ·         ╰── what progress?
             15 │ }
                ╰────
              help: write it like: progress "40%" actual-start="2027-01-11T08:00"
        "#]],
    );
}

#[test]
fn progress_on_a_summary_and_twice() {
    check_errors(
        &with_header(
            "task \"phase\" {\n    progress \"50%\" actual-start=\"2027-01-04\"\n    task \"a\" duration=\"1d\"\n}\ntask \"b\" {\n    progress \"10%\" actual-start=\"2027-01-04\"\n    progress \"20%\" actual-start=\"2027-01-04\"\n}\n",
        ),
        expect![[r#"
            2 errors
              × progress is recorded on subtasks, not on their summary
               ╭─[plan.kdl:5:5]
             4 │ task "phase" {
             5 │     progress "50%" actual-start="2027-01-04"
               ·     ────────────────────┬───────────────────
               ·                         ╰── on a summary task
             6 │     task "a" duration="1d"
               ·     ───────────┬──────────
               ·                ╰── its subtasks
             7 │ }
               ╰────
              help: a summary's progress rolls up from its subtasks: record it on them

              × a task has at most one `progress` line
                ╭─[plan.kdl:10:5]
              8 │ task "b" {
              9 │     progress "10%" actual-start="2027-01-04"
                ·     ────────────────────┬───────────────────
                ·                         ╰── first `progress`
             10 │     progress "20%" actual-start="2027-01-04"
                ·     ────────────────────┬───────────────────
                ·                         ╰── second `progress`
             11 │ }
                ╰────
              help: keep one: the latest percent complete with its actual dates
        "#]],
    );
}

#[test]
fn milestone_progress_is_one_instant() {
    check_errors(
        &with_header(
            "milestone \"g1\" {\n    progress \"100%\" actual-start=\"2027-01-15\" actual-finish=\"2027-01-15\"\n}\n",
        ),
        expect![[r#"
            1 error
              × a milestone is one instant, but its actual start 2027-01-15T00:00 and finish 2027-01-16T00:00
              │ differ
               ╭─[plan.kdl:5:61]
             4 │ milestone "g1" {
             5 │     progress "100%" actual-start="2027-01-15" actual-finish="2027-01-15"
               ·                                  ──────┬─────               ──────┬─────
               ·                                        │                          ╰── not the start
               ·                                        ╰── actual start
             6 │ }
               ╰────
              help: give `actual-finish` alone, like: progress "100%" actual-finish="2027-02-05T17:00" (a date
                    alone is the start of that day as actual-start=, its end as actual-finish=)
        "#]],
    );
}

#[test]
fn manual_finish_before_start_or_missing() {
    check_errors(
        &with_header(
            "task \"a\" {\n    manual start=\"2027-02-05\" finish=\"2027-02-01\"\n}\ntask \"b\" {\n    manual start=\"2027-02-01\"\n}\ntask \"c\" {\n    manual\n}\n",
        ),
        expect![[r#"
            3 errors
              × the manual finish 2027-02-01 is before the start 2027-02-05
               ╭─[plan.kdl:5:38]
             4 │ task "a" {
             5 │     manual start="2027-02-05" finish="2027-02-01"
               ·                  ──────┬─────        ──────┬─────
               ·                        │                   ╰── before the start
               ·                        ╰── start
             6 │ }
               ╰────
              help: swap the two dates (a date alone as finish= means the end of that day)

              × `manual` has a `start` but no `finish`
               ╭─[plan.kdl:8:18]
             7 │ task "b" {
             8 │     manual start="2027-02-01"
               ·                  ──────┬─────
               ·                        ╰── needs `finish`
             9 │ }
               ╰────
              help: a manually scheduled task is given both dates, like: manual start="2027-02-01"
                    finish="2027-02-05"

              × `manual` has no dates
                ╭─[plan.kdl:11:5]
             10 │ task "c" {
             11 │     manual
                ·     ───┬──
                ·        ╰── which dates?
             12 │ }
                ╰────
              help: write it like: manual start="2027-02-01" finish="2027-02-05"
        "#]],
    );
}

#[test]
fn manual_on_a_summary_task() {
    check_errors(
        &with_header(
            "task \"phase\" \"Phase 1\" {\n    manual start=\"2027-02-01\" finish=\"2027-02-26\"\n    task \"a\" duration=\"1d\"\n    milestone \"m\"\n}\n",
        ),
        expect![[r#"
            1 error
              × a summary task cannot be manually scheduled
               ╭─[plan.kdl:5:5]
             4 │ task "phase" "Phase 1" {
             5 │     manual start="2027-02-01" finish="2027-02-26"
               ·     ──────────────────────┬──────────────────────
               ·                           ╰── on a summary task
             6 │     task "a" duration="1d"
               ·     ───────────┬──────────
               ·                ╰── its subtasks
             7 │     milestone "m"
               ╰────
              help: a summary's dates span its subtasks: put `manual` on the subtasks instead
        "#]],
    );
}

#[test]
fn manual_milestone_with_different_start_and_finish() {
    check_errors(
        &with_header(
            "milestone \"g1\" \"Gate 1\" {\n    manual start=\"2027-02-05\" finish=\"2027-02-05\"\n}\nmilestone \"g2\" \"Gate 2\" {\n    manual start=\"2027-02-05T17:00\" finish=\"2027-02-05T17:00\"\n}\n",
        ),
        expect![[r#"
            1 error
              × a milestone is one instant, but its manual start 2027-02-05T00:00 and finish 2027-02-06T00:00
              │ differ
               ╭─[plan.kdl:5:38]
             4 │ milestone "g1" "Gate 1" {
             5 │     manual start="2027-02-05" finish="2027-02-05"
               ·                  ──────┬─────        ──────┬─────
               ·                        │                   ╰── not the start
               ·                        ╰── start
             6 │ }
               ╰────
              help: give one date, like: manual finish="2027-02-05T17:00" (a date alone is the start of that
                    day as start=, its end as finish=)
        "#]],
    );
}

#[test]
fn progress_and_manual_written_on_the_task_line() {
    check_errors(
        &with_header("task \"a\" actual-start=\"2027-01-04\" start=\"2027-01-04\"\nprogress 40\n"),
        expect![[r#"
            3 errors
              × unknown property `actual-start` on `task`
               ╭─[plan.kdl:4:10]
             3 │ }
             4 │ task "a" actual-start="2027-01-04" start="2027-01-04"
               ·          ──────┬─────
               ·                ╰── unknown property
             5 │ progress 40
               ╰────
              help: `actual-start` goes on a `progress` line inside the braces of `task`, like: progress "40%"
                    actual-start="2027-01-11T08:00"

              × unknown property `start` on `task`
               ╭─[plan.kdl:4:36]
             3 │ }
             4 │ task "a" actual-start="2027-01-04" start="2027-01-04"
               ·                                    ──┬──
               ·                                      ╰── unknown property
             5 │ progress 40
               ╰────
              help: a task's dates follow its links; to fix them anyway, write a `manual` line inside the
                    braces of `task`, like: manual start="2027-02-01" finish="2027-02-05" (to bound them, a
                    `constraint`)

              × unknown node `progress`
               ╭─[plan.kdl:5:1]
             4 │ task "a" actual-start="2027-01-04" start="2027-01-04"
             5 │ progress 40
               · ────┬───
               ·     ╰── unknown node
               ╰────
              help: `progress` belongs inside a task's block
        "#]],
    );
}

#[test]
fn unknown_properties_and_repeats_of_manual() {
    check_messages(
        &with_header(
            "task \"a\" {\n    manual from=\"2027-01-04\" to=\"2027-01-08\"\n    progress 40 start=\"2027-01-04\"\n    manual start=\"2027-01-04\" finish=\"2027-01-08\"\n}\n",
        ),
        expect![[r#"
            plan.kdl:5:5: `manual` has no dates
            plan.kdl:5:12: unknown property `from` on `manual`
            plan.kdl:5:30: unknown property `to` on `manual`
            plan.kdl:6:14: the task is 40% complete but has no `actual-start`
            plan.kdl:6:17: unknown property `start` on `progress`
            plan.kdl:7:5: a task has at most one `manual` line
        "#]],
    );
}
