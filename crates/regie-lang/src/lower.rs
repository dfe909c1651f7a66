//! KDL document → raw project (the "low" pass).
//!
//! Walks the nodes once, checks every node name, property name, argument count and value type
//! against the format, and reads every value that can be read on its own (dates, money,
//! percentages, shifts, exception rules). What depends on other parts of the file stays text with
//! its span for [`crate::resolve`]: ids (which may refer forward) and durations (whose `d` depends
//! on the project's `minutes-per-day`, wherever the `project` node is). Errors are collected, never
//! returned early, so one run reports everything.

use jiff::civil::DateTime;
use kdl::{KdlDocument, KdlEntry, KdlNode, KdlValue};
use miette::SourceSpan;
use regie_core::calendar::{DateRule, Exception, Shift};
use regie_core::{
    Constraint, ConstraintKind, LinkKind, ManualDates, Progress, Rates, Resource, ResourceKind,
    Task, TaskType,
};

use crate::diag::{Error, ErrorKind};
use crate::suggest;
use crate::values::{self, Bad, Edge};

/// Tasks may nest this deep; deeper is surely a mistake, and it bounds every recursion.
pub(crate) const MAX_TASK_DEPTH: usize = 64;

/// A value with the place it was written.
#[derive(Clone, Debug)]
pub(crate) struct Sp<T> {
    pub value: T,
    pub span: SourceSpan,
}

#[derive(Debug, Default)]
pub(crate) struct RawFile {
    pub projects: Vec<RawProject>,
    pub calendars: Vec<RawCalendar>,
    pub resources: Vec<RawResource>,
    pub tasks: Vec<RawTask>,
}

#[derive(Debug)]
pub(crate) struct RawProject {
    /// The `project "Name"` part of the node.
    pub span: SourceSpan,
    /// A `start` or `finish` node is there, even if its value could not be read: the missing
    /// anchor is then not reported a second time.
    pub anchor_given: bool,
    pub name: String,
    pub start: Option<Sp<DateTime>>,
    pub finish: Option<Sp<DateTime>>,
    pub time_zone: Option<String>,
    pub currency: Option<String>,
    pub status_date: Option<DateTime>,
    pub calendar: Option<Sp<String>>,
    pub minutes_per_day: Option<u32>,
    pub minutes_per_week: Option<u32>,
    pub days_per_month: Option<u32>,
    pub honor_constraints: Option<bool>,
}

#[derive(Debug)]
pub(crate) struct RawCalendar {
    pub id: Sp<String>,
    pub span: SourceSpan,
    pub name: Option<String>,
    pub base: Option<Sp<String>>,
    pub week: [Option<Vec<Shift>>; 7],
    pub exceptions: Vec<Exception>,
}

#[derive(Debug)]
pub(crate) struct RawResource {
    pub id: Sp<String>,
    pub span: SourceSpan,
    /// Complete but for its calendar.
    pub resource: Resource,
    pub calendar: Option<Sp<String>>,
    /// Vacations and other exceptions: they make a calendar of the resource's own.
    pub exceptions: Vec<Exception>,
}

#[derive(Debug)]
pub(crate) struct RawTask {
    pub id: Sp<String>,
    /// The node up to its block: `task "id" "Name" duration="5d"`.
    pub span: SourceSpan,
    pub name_span: SourceSpan,
    /// Complete but for duration, work, calendar and parent.
    pub task: Task,
    pub duration: Option<Sp<String>>,
    pub work: Option<Sp<String>>,
    pub calendar: Option<Sp<String>>,
    pub afters: Vec<RawAfter>,
    pub assigns: Vec<RawAssign>,
    pub pauses: Vec<RawPause>,
    pub children: Vec<RawTask>,
}

/// `pause after="3d" for="2d"`: durations stay text until the project's units are known.
#[derive(Debug)]
pub(crate) struct RawPause {
    pub after: Sp<String>,
    pub length: Sp<String>,
}

#[derive(Debug)]
pub(crate) struct RawAfter {
    pub span: SourceSpan,
    pub predecessors: Vec<Sp<String>>,
    pub kind: LinkKind,
    pub lag: Option<Sp<String>>,
}

#[derive(Debug)]
pub(crate) struct RawAssign {
    pub span: SourceSpan,
    pub resources: Vec<Sp<String>>,
    pub units: u32,
    pub work: Option<Sp<String>>,
}

// ---------------------------------------------------------------------------------------------
// What each node accepts

struct Spec {
    node: &'static str,
    /// Names of the positional arguments, for messages; the last one repeats when `variadic`.
    args: &'static [&'static str],
    min_args: usize,
    variadic: bool,
    props: &'static [&'static str],
    /// Allowed child nodes; empty: the node takes no block.
    children: &'static [&'static str],
    example: &'static str,
}

const TOP_NODES: &[&str] = &["project", "calendar", "resource", "task", "milestone"];

const PROJECT: Spec = Spec {
    node: "project",
    args: &["name"],
    min_args: 1,
    variadic: false,
    props: &[],
    children: &[
        "start",
        "finish",
        "time-zone",
        "currency",
        "status-date",
        "calendar",
        "minutes-per-day",
        "minutes-per-week",
        "days-per-month",
        "honor-constraints",
    ],
    example: "project \"CRM migration\" { start \"2027-01-04\" }",
};

const CALENDAR: Spec = Spec {
    node: "calendar",
    args: &["id"],
    min_args: 1,
    variadic: false,
    props: &["name", "base", "twenty-four-hours"],
    children: &["week", "holiday", "vacation", "work"],
    example: "calendar \"france-standard\" name=\"France standard\" { week \"mon-fri\" \"08:00-12:00\" \"13:00-17:00\" }",
};

const RESOURCE: Spec = Spec {
    node: "resource",
    args: &["id"],
    min_args: 1,
    variadic: false,
    props: &[
        "name",
        "group",
        "kind",
        "max-units",
        "rate",
        "overtime-rate",
        "cost-per-use",
        "calendar",
        "email",
    ],
    children: &["vacation", "holiday", "work"],
    example: "resource \"ana\" name=\"Ana Lima\" rate=85.00",
};

const TASK_PROPS: &[&str] = &[
    "duration",
    "work",
    "type",
    "effort-driven",
    "priority",
    "calendar",
    "deadline",
];
const TASK_CHILDREN: &[&str] = &[
    "task",
    "milestone",
    "after",
    "assign",
    "constraint",
    "manual",
    "progress",
    "note",
];

const TASK: Spec = Spec {
    node: "task",
    args: &["id", "name"],
    min_args: 1,
    variadic: false,
    props: TASK_PROPS,
    children: TASK_CHILDREN,
    example: "task \"design\" \"Design the API\" duration=\"5d\"",
};

const MILESTONE: Spec = Spec {
    node: "milestone",
    args: &["id", "name"],
    min_args: 1,
    variadic: false,
    props: TASK_PROPS,
    children: TASK_CHILDREN,
    example: "milestone \"g1\" \"Gate 1 signed\" deadline=\"2027-01-29\"",
};

const AFTER: Spec = Spec {
    node: "after",
    args: &["task id"],
    min_args: 1,
    variadic: true,
    props: &["type", "lag"],
    children: &[],
    example: "after \"design\" type=\"SS\" lag=\"2d\"",
};

const ASSIGN: Spec = Spec {
    node: "assign",
    args: &["resource id"],
    min_args: 1,
    variadic: true,
    props: &["units", "work"],
    children: &[],
    example: "assign \"ana\" units=\"50%\"",
};

const CONSTRAINT: Spec = Spec {
    node: "constraint",
    args: &["kind", "date"],
    min_args: 1,
    variadic: false,
    props: &[],
    children: &[],
    example: "constraint \"start-no-earlier-than\" \"2027-01-11\"",
};

const MANUAL: Spec = Spec {
    node: "manual",
    args: &[],
    min_args: 0,
    variadic: false,
    props: &["start", "finish"],
    children: &[],
    example: "manual start=\"2027-02-01\" finish=\"2027-02-05\"",
};

const PROGRESS: Spec = Spec {
    node: "progress",
    args: &["percent complete"],
    min_args: 0,
    variadic: false,
    props: &["actual-start", "actual-finish"],
    children: &[],
    example: "progress \"40%\" actual-start=\"2027-01-11T08:00\"",
};

const PAUSE: Spec = Spec {
    node: "pause",
    args: &[],
    min_args: 0,
    variadic: false,
    props: &["after", "for"],
    children: &[],
    example: "pause after=\"3d\" for=\"2d\"",
};

const NOTE: Spec = Spec {
    node: "note",
    args: &["text"],
    min_args: 1,
    variadic: false,
    props: &[],
    children: &[],
    example: "note \"Waiting for the client's answer\"",
};

const WEEK: Spec = Spec {
    node: "week",
    args: &["days", "working hours"],
    min_args: 1,
    variadic: true,
    props: &[],
    children: &[],
    example: "week \"mon-fri\" \"08:00-12:00\" \"13:00-17:00\"",
};

const RULE_PROPS: &[&str] = &[
    "date",
    "from",
    "to",
    "yearly",
    "weekly",
    "from-year",
    "to-year",
];

const HOLIDAY: Spec = Spec {
    node: "holiday",
    args: &["name"],
    min_args: 1,
    variadic: false,
    props: RULE_PROPS,
    children: &[],
    example: "holiday \"Christmas\" yearly=\"12-25\"",
};

const VACATION: Spec = Spec {
    node: "vacation",
    args: &["name"],
    min_args: 0,
    variadic: false,
    props: RULE_PROPS,
    children: &[],
    example: "vacation from=\"2027-03-01\" to=\"2027-03-12\"",
};

const WORK: Spec = Spec {
    node: "work",
    args: &["name", "working hours"],
    min_args: 2,
    variadic: true,
    props: RULE_PROPS,
    children: &[],
    example: "work \"Go-live weekend\" date=\"2027-05-22\" \"09:00-13:00\"",
};

/// One line per setting of the project block: `start "2027-01-04"`.
fn setting_spec(name: &'static str) -> Spec {
    Spec {
        node: name,
        args: &["value"],
        min_args: 1,
        variadic: false,
        props: &[],
        children: &[],
        example: setting_example(name),
    }
}

fn setting_example(name: &str) -> &'static str {
    match name {
        "start" => "start \"2027-01-04T08:00\"",
        "finish" => "finish \"2027-06-30T17:00\"",
        "time-zone" => "time-zone \"Europe/Paris\"",
        "currency" => "currency \"EUR\"",
        "status-date" => "status-date \"2027-02-15\"",
        "calendar" => "calendar \"france-standard\"",
        "minutes-per-day" => "minutes-per-day 480",
        "minutes-per-week" => "minutes-per-week 2400",
        "days-per-month" => "days-per-month 20",
        "honor-constraints" => "honor-constraints #false",
        _ => "",
    }
}

/// How a property is written, for hints.
fn prop_example(name: &str) -> &'static str {
    match name {
        "duration" => "duration=\"5d\"",
        "work" => "work=\"16h\"",
        "type" => "type=\"fixed-duration\"",
        "effort-driven" => "effort-driven=#false",
        "priority" => "priority=700",
        "calendar" => "calendar=\"france-standard\"",
        "deadline" => "deadline=\"2027-03-31\"",
        "name" => "name=\"Ana Lima\"",
        "base" => "base=\"france-standard\"",
        "twenty-four-hours" => "twenty-four-hours=#true",
        "group" => "group=\"DBA\"",
        "kind" => "kind=\"work\"",
        "max-units" => "max-units=\"100%\"",
        "rate" => "rate=85.00",
        "overtime-rate" => "overtime-rate=110.00",
        "cost-per-use" => "cost-per-use=50",
        "email" => "email=\"ana@example.com\"",
        "lag" => "lag=\"2d\"",
        "units" => "units=\"50%\"",
        "date" => "date=\"2027-01-01\"",
        "from" => "from=\"2027-03-01\"",
        "to" => "to=\"2027-03-12\"",
        "yearly" => "yearly=\"12-25\"",
        "weekly" => "weekly=\"fri\"",
        "from-year" => "from-year=2027",
        "to-year" => "to-year=2030",
        "start" => "start=\"2027-02-01\"",
        "finish" => "finish=\"2027-02-05\"",
        "actual-start" => "actual-start=\"2027-01-11T08:00\"",
        "actual-finish" => "actual-finish=\"2027-01-15\"",
        "after" => "after=\"3d\"",
        "for" => "for=\"2d\"",
        _ => "",
    }
}

/// What a task is, for the checks of its `manual`, `progress` and `pause` lines.
#[derive(Clone, Copy)]
struct Shape {
    milestone: bool,
    /// The first task in its block: the task is a summary.
    first_subtask: Option<SourceSpan>,
}

// ---------------------------------------------------------------------------------------------
// Reading one node

/// A node whose names and shape were checked against its [`Spec`].
struct Read<'a> {
    name_span: SourceSpan,
    /// The node up to its block.
    header: SourceSpan,
    args: Vec<&'a KdlEntry>,
    props: Vec<(&'a str, &'a KdlEntry)>,
    children: &'a [KdlNode],
}

impl<'a> Read<'a> {
    fn prop(&self, name: &str) -> Option<&'a KdlEntry> {
        self.props.iter().find(|(n, _)| *n == name).map(|(_, e)| *e)
    }
}

fn span_end(span: SourceSpan) -> usize {
    span.offset() + span.len()
}

/// The node from its name (or type annotation) to its last entry, leaving out the block.
pub(crate) fn header_span(node: &KdlNode) -> SourceSpan {
    let start = node.span().offset();
    let end = node
        .entries()
        .iter()
        .map(|e| span_end(e.span()))
        .fold(span_end(node.name().span()), usize::max);
    SourceSpan::new(start.into(), end.saturating_sub(start))
}

/// The value part of an entry (`"5d"` in `duration="5d"`), to underline just that.
fn value_span(entry: &KdlEntry) -> SourceSpan {
    let span = entry.span();
    match entry.format() {
        Some(format) if !format.value_repr.is_empty() && format.value_repr.len() <= span.len() => {
            let len = format.value_repr.len();
            SourceSpan::new((span_end(span) - len).into(), len)
        }
        _ => span,
    }
}

/// The child line of a task that takes property `name`, when it was written on the task line
/// itself (`task "a" actual-start="…"`): progress and manual dates are lines of their own.
fn task_line_for(spec: &Spec, name: &str) -> Option<&'static Spec> {
    if spec.node != "task" && spec.node != "milestone" {
        return None;
    }
    match name {
        "actual-start" | "actual-finish" | "percent-complete" | "percent" | "complete" => {
            Some(&PROGRESS)
        }
        "start" | "finish" | "manual-start" | "manual-finish" => Some(&MANUAL),
        _ => None,
    }
}

fn type_name(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "a number",
        KdlValue::Float(_) => "a decimal number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

pub(crate) struct Lowerer<'t> {
    pub text: &'t str,
    pub errors: Vec<Error>,
}

impl Lowerer<'_> {
    fn push(&mut self, error: Error) {
        self.errors.push(error);
    }

    /// Checks the node against `spec`: type annotations, property names (known, not repeated),
    /// argument count, and whether it may have a block. Problems are reported; what is usable is
    /// returned.
    fn read<'a>(&mut self, node: &'a KdlNode, spec: &Spec) -> Read<'a> {
        let name_span = node.name().span();
        let header = header_span(node);
        if let Some(ty) = node.ty() {
            self.push(
                Error::new(
                    ErrorKind::Invalid,
                    ty.span(),
                    format!("type annotation `({})` on `{}`", ty.value(), spec.node),
                    "not used",
                )
                .help("project files do not use KDL type annotations: remove the parentheses"),
            );
        }
        let mut args = Vec::new();
        let mut props: Vec<(&'a str, &'a KdlEntry)> = Vec::new();
        for entry in node.entries() {
            if let Some(ty) = entry.ty() {
                self.push(
                    Error::new(
                        ErrorKind::Invalid,
                        ty.span(),
                        format!("type annotation `({})`", ty.value()),
                        "not used",
                    )
                    .help("project files do not use KDL type annotations: remove the parentheses"),
                );
            }
            let Some(key) = entry.name() else {
                args.push(entry);
                continue;
            };
            let key_name = key.value();
            if !spec.props.contains(&key_name) {
                self.unknown_property(spec, key_name, key.span());
                continue;
            }
            if let Some((_, first)) = props.iter().find(|(n, _)| *n == key_name) {
                self.push(
                    Error::new(
                        ErrorKind::Duplicate,
                        entry.span(),
                        format!("`{key_name}` is given twice on `{}`", spec.node),
                        "second value",
                    )
                    .related(first.span(), "first value")
                    .help("keep one of them"),
                );
                continue;
            }
            props.push((key_name, entry));
        }
        if args.len() < spec.min_args {
            let missing = spec
                .args
                .get(args.len())
                .or(spec.args.last())
                .copied()
                .unwrap_or("argument");
            self.push(
                Error::new(
                    ErrorKind::Missing,
                    header,
                    format!("`{}` is missing its {missing}", spec.node),
                    format!("needs {} {missing}", article(missing)),
                )
                .help(format!("write it like: {}", spec.example)),
            );
        }
        if !spec.variadic && args.len() > spec.args.len() {
            for extra in &args[spec.args.len()..] {
                self.push(
                    Error::new(
                        ErrorKind::UnexpectedArgument,
                        extra.span(),
                        format!("unexpected argument to `{}`", spec.node),
                        "not expected",
                    )
                    .help(format!("write it like: {}", spec.example)),
                );
            }
            args.truncate(spec.args.len());
        }
        let children: &[KdlNode] = match node.children() {
            Some(_) if spec.children.is_empty() => {
                let brace = self
                    .text
                    .get(span_end(header)..)
                    .and_then(|rest| rest.find('{'));
                let at = brace.map_or(header, |i| {
                    SourceSpan::new((span_end(header) + i).into(), 1)
                });
                self.push(
                    Error::new(
                        ErrorKind::Invalid,
                        at,
                        format!("`{}` takes no block", spec.node),
                        "unexpected block",
                    )
                    .help(format!(
                        "remove the braces; write it like: {}",
                        spec.example
                    )),
                );
                &[]
            }
            Some(block) => block.nodes(),
            None => &[],
        };
        Read {
            name_span,
            header,
            args,
            props,
            children,
        }
    }

    fn unknown_property(&mut self, spec: &Spec, name: &str, span: SourceSpan) {
        let help = if spec.children.contains(&name) {
            format!(
                "`{name}` is a node, not a property: write it inside the braces of `{}`",
                spec.node
            )
        } else if spec.props.is_empty() {
            format!(
                "`{}` takes no properties; write it like: {}",
                spec.node, spec.example
            )
        } else if let Some(line) = task_line_for(spec, name) {
            if line.node == "manual" {
                format!(
                    "a task's dates follow its links; to fix them anyway, write a `manual` line inside the braces of `{}`, like: {} (to bound them, a `constraint`)",
                    spec.node, line.example
                )
            } else {
                format!(
                    "`{name}` goes on a `progress` line inside the braces of `{}`, like: {}",
                    spec.node, line.example
                )
            }
        } else {
            suggest::hint(name, spec.props, &format!("`{}` takes", spec.node))
        };
        self.push(
            Error::new(
                ErrorKind::UnknownProperty,
                span,
                format!("unknown property `{name}` on `{}`", spec.node),
                "unknown property",
            )
            .help(help),
        );
    }

    /// A child node whose name `parent` does not accept.
    fn unknown_node(&mut self, parent: &Spec, node: &KdlNode) {
        let name = node.name().value();
        let help = if parent.props.contains(&name) {
            let example = prop_example(name);
            format!(
                "`{name}` is a property: write it on the `{}` line, like {example}",
                parent.node
            )
        } else {
            suggest::hint(
                name,
                parent.children,
                &format!("`{}` may contain", parent.node),
            )
        };
        self.push(
            Error::new(
                ErrorKind::UnknownNode,
                node.name().span(),
                format!("unknown node `{name}` in `{}`", parent.node),
                "unknown node",
            )
            .help(help),
        );
    }

    fn wrong_type(&mut self, entry: &KdlEntry, what: &str, expected: &str, help: String) {
        self.push(
            Error::new(
                ErrorKind::WrongType,
                value_span(entry),
                format!(
                    "{what} must be {expected}, not {}",
                    type_name(entry.value())
                ),
                format!("not {expected}"),
            )
            .help(help),
        );
    }

    fn bad_value(&mut self, entry: &KdlEntry, bad: Bad, label: &str) {
        self.push(
            Error::new(ErrorKind::BadValue, value_span(entry), bad.message, label).help(bad.help),
        );
    }

    // -- typed values --------------------------------------------------------------------------

    fn string(&mut self, entry: &KdlEntry, what: &str, example: &str) -> Option<Sp<String>> {
        match entry.value() {
            KdlValue::String(text) => Some(Sp {
                value: text.clone(),
                span: value_span(entry),
            }),
            _ => {
                self.wrong_type(
                    entry,
                    what,
                    "a string",
                    format!("write it in quotes, like {example}"),
                );
                None
            }
        }
    }

    /// A string that must not be empty: ids.
    fn id(&mut self, entry: &KdlEntry, what: &str, example: &str) -> Option<Sp<String>> {
        let id = self.string(entry, what, example)?;
        if id.value.trim().is_empty() {
            self.push(
                Error::new(
                    ErrorKind::BadValue,
                    id.span,
                    format!("{what} is empty"),
                    "empty",
                )
                .help(format!("ids are short names, like {example}")),
            );
            return None;
        }
        Some(id)
    }

    fn boolean(&mut self, entry: &KdlEntry, what: &str) -> Option<bool> {
        match entry.value() {
            KdlValue::Bool(b) => Some(*b),
            KdlValue::String(s) if s == "true" || s == "false" => {
                self.wrong_type(
                    entry,
                    what,
                    "#true or #false",
                    format!("KDL v2 writes booleans without quotes: #{s}"),
                );
                None
            }
            _ => {
                self.wrong_type(
                    entry,
                    what,
                    "#true or #false",
                    "KDL v2 writes booleans #true and #false".to_owned(),
                );
                None
            }
        }
    }

    fn integer(
        &mut self,
        entry: &KdlEntry,
        what: &str,
        min: i64,
        max: i64,
        example: &str,
    ) -> Option<i64> {
        match entry.value() {
            KdlValue::Integer(n) if (i128::from(min)..=i128::from(max)).contains(n) => {
                Some(*n as i64)
            }
            KdlValue::Integer(n) => {
                self.push(
                    Error::new(
                        ErrorKind::BadValue,
                        value_span(entry),
                        format!("{what} must be between {min} and {max}, not {n}"),
                        "out of range",
                    )
                    .help(format!("write it like {example}")),
                );
                None
            }
            _ => {
                self.wrong_type(
                    entry,
                    what,
                    "a whole number",
                    format!("write it without quotes, like {example}"),
                );
                None
            }
        }
    }

    /// A string read by `parse`; a bad one is reported at the value.
    fn parsed<T>(
        &mut self,
        entry: &KdlEntry,
        what: &str,
        example: &str,
        label: &str,
        parse: impl FnOnce(&str) -> Result<T, Bad>,
    ) -> Option<T> {
        let text = self.string(entry, what, example)?;
        match parse(&text.value) {
            Ok(value) => Some(value),
            Err(bad) => {
                self.bad_value(entry, bad, label);
                None
            }
        }
    }

    fn date(&mut self, entry: &KdlEntry, what: &str, example: &str) -> Option<jiff::civil::Date> {
        self.parsed(entry, what, example, "not a date", values::parse_date)
    }

    fn datetime(
        &mut self,
        entry: &KdlEntry,
        what: &str,
        example: &str,
        edge: Edge,
    ) -> Option<DateTime> {
        self.parsed(entry, what, example, "not a date", |t| {
            values::parse_datetime(t, edge)
        })
    }

    /// Money as a number (`85.5`) or a string (`"85.50"`); a number is read from its written
    /// digits, never through a float.
    fn money(&mut self, entry: &KdlEntry, what: &str) -> Option<regie_core::Money> {
        let text = match entry.value() {
            KdlValue::String(s) => s.clone(),
            KdlValue::Integer(_) | KdlValue::Float(_) => match entry.format() {
                Some(format) if !format.value_repr.is_empty() => format.value_repr.replace('_', ""),
                _ => entry.value().to_string(),
            },
            _ => {
                self.wrong_type(entry, what, "an amount", values::MONEY_HELP.to_owned());
                return None;
            }
        };
        match values::parse_money(&text) {
            Ok(money) => Some(money),
            Err(bad) => {
                self.bad_value(entry, bad, "not an amount");
                None
            }
        }
    }

    /// `"50%"` or `50`, at most `max`; `help` is the hint for a bad one.
    fn percent(&mut self, entry: &KdlEntry, what: &str, max: u32, help: &str) -> Option<u32> {
        let text = match entry.value() {
            KdlValue::String(s) => s.clone(),
            KdlValue::Integer(n) => n.to_string(),
            KdlValue::Float(_) => entry
                .format()
                .map_or_else(|| entry.value().to_string(), |f| f.value_repr.clone()),
            _ => {
                self.wrong_type(entry, what, "a percentage", help.to_owned());
                return None;
            }
        };
        match values::parse_percent(&text, max, help) {
            Ok(percent) => Some(percent),
            Err(bad) => {
                self.bad_value(entry, bad, "not a percentage");
                None
            }
        }
    }

    /// A property whose value is one of a few words.
    fn keyword<T: Copy>(&mut self, entry: &KdlEntry, what: &str, words: &[(&str, T)]) -> Option<T> {
        let names: Vec<&str> = words.iter().map(|(w, _)| *w).collect();
        let example = names.first().map_or(String::new(), |w| format!("\"{w}\""));
        let text = self.string(entry, what, &example)?;
        if let Some((_, value)) = words
            .iter()
            .find(|(w, _)| w.eq_ignore_ascii_case(&text.value))
        {
            return Some(*value);
        }
        self.push(
            Error::new(
                ErrorKind::BadValue,
                text.span,
                format!("unknown {what} `{}`", text.value),
                "unknown",
            )
            .help(suggest::hint(&text.value, &names, "expected one of")),
        );
        None
    }

    // -- the file ------------------------------------------------------------------------------

    pub(crate) fn file(&mut self, document: &KdlDocument) -> RawFile {
        let mut file = RawFile::default();
        for node in document.nodes() {
            match node.name().value() {
                "project" => {
                    if let Some(project) = self.project(node) {
                        file.projects.push(project);
                    }
                }
                "calendar" => {
                    if let Some(calendar) = self.calendar(node) {
                        file.calendars.push(calendar);
                    }
                }
                "resource" => {
                    if let Some(resource) = self.resource(node) {
                        file.resources.push(resource);
                    }
                }
                "task" | "milestone" => {
                    if let Some(task) = self.task(node, 1) {
                        file.tasks.push(task);
                    }
                }
                name => {
                    let help = if PROJECT.children.contains(&name) {
                        format!("`{name}` belongs inside the `project` block")
                    } else if TASK_CHILDREN.contains(&name) {
                        format!("`{name}` belongs inside a task's block")
                    } else if CALENDAR.children.contains(&name) {
                        format!("`{name}` belongs inside a `calendar` or `resource` block")
                    } else {
                        suggest::hint(name, TOP_NODES, "a project file contains")
                    };
                    self.push(
                        Error::new(
                            ErrorKind::UnknownNode,
                            node.name().span(),
                            format!("unknown node `{name}`"),
                            "unknown node",
                        )
                        .help(help),
                    );
                }
            }
        }
        file
    }

    fn project(&mut self, node: &KdlNode) -> Option<RawProject> {
        let read = self.read(node, &PROJECT);
        let name = match read.args.first() {
            Some(entry) => {
                self.string(entry, "the project name", "\"CRM migration\"")?
                    .value
            }
            None => String::new(),
        };
        let mut project = RawProject {
            span: read.header,
            anchor_given: false,
            name,
            start: None,
            finish: None,
            time_zone: None,
            currency: None,
            status_date: None,
            calendar: None,
            minutes_per_day: None,
            minutes_per_week: None,
            days_per_month: None,
            honor_constraints: None,
        };
        let mut seen: Vec<(&str, SourceSpan)> = Vec::new();
        for child in read.children {
            let name = child.name().value();
            let Some(&setting) = PROJECT.children.iter().find(|c| **c == name) else {
                self.unknown_node(&PROJECT, child);
                continue;
            };
            let spec = setting_spec(setting);
            let child_read = self.read(child, &spec);
            if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                self.push(
                    Error::new(
                        ErrorKind::Duplicate,
                        child_read.header,
                        format!("`{name}` is given twice in the project"),
                        "second one",
                    )
                    .related(*first, "first one")
                    .help("keep one of them"),
                );
                continue;
            }
            seen.push((setting, child_read.header));
            if setting == "start" || setting == "finish" {
                project.anchor_given = true;
            }
            let Some(entry) = child_read.args.first() else {
                continue;
            };
            let what = format!("`{name}`");
            let example = spec.example;
            match setting {
                "start" | "finish" => {
                    let edge = if setting == "start" {
                        Edge::Start
                    } else {
                        Edge::Finish
                    };
                    let Some(value) = self.datetime(entry, &what, example, edge) else {
                        continue;
                    };
                    let other = if setting == "start" {
                        &project.finish
                    } else {
                        &project.start
                    };
                    if let Some(other) = other {
                        self.push(
                            Error::new(
                                ErrorKind::Invalid,
                                child_read.header,
                                "a project has a start or a finish, not both",
                                "second anchor",
                            )
                            .related(other.span, "first anchor")
                            .help("give `start` to schedule forward, or `finish` to schedule backward from it"),
                        );
                        continue;
                    }
                    let value = Sp {
                        value,
                        span: child_read.header,
                    };
                    if setting == "start" {
                        project.start = Some(value);
                    } else {
                        project.finish = Some(value);
                    }
                }
                "time-zone" => {
                    let Some(zone) = self.string(entry, &what, "\"Europe/Paris\"") else {
                        continue;
                    };
                    if jiff::tz::TimeZone::get(&zone.value).is_err() {
                        let names: Vec<String> =
                            jiff::tz::db().available().map(|n| n.to_string()).collect();
                        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                        let help = match suggest::closest(&zone.value, refs.iter().copied()) {
                            Some(name) => format!("did you mean `{name}`?"),
                            None => "use an IANA time zone name, like \"Europe/Paris\" or \"America/New_York\"".to_owned(),
                        };
                        self.push(
                            Error::new(
                                ErrorKind::BadValue,
                                zone.span,
                                format!("unknown time zone `{}`", zone.value),
                                "unknown time zone",
                            )
                            .help(help),
                        );
                        continue;
                    }
                    project.time_zone = Some(zone.value);
                }
                "currency" => {
                    let Some(code) = self.string(entry, &what, "\"EUR\"") else {
                        continue;
                    };
                    if code.value.len() != 3 || !code.value.bytes().all(|b| b.is_ascii_uppercase())
                    {
                        self.push(
                            Error::new(
                                ErrorKind::BadValue,
                                code.span,
                                format!("`{}` is not a currency code", code.value),
                                "not a currency code",
                            )
                            .help("use an ISO 4217 code: three capital letters, like \"EUR\" or \"USD\""),
                        );
                        continue;
                    }
                    project.currency = Some(code.value);
                }
                "status-date" => {
                    project.status_date = self.datetime(entry, &what, example, Edge::Start);
                }
                "calendar" => {
                    project.calendar = self.id(entry, &what, "\"france-standard\"");
                }
                "minutes-per-day" => {
                    project.minutes_per_day = self
                        .integer(entry, &what, 1, 1440, example)
                        .map(|n| n as u32);
                }
                "minutes-per-week" => {
                    project.minutes_per_week = self
                        .integer(entry, &what, 1, 7 * 1440, example)
                        .map(|n| n as u32);
                }
                "days-per-month" => {
                    project.days_per_month =
                        self.integer(entry, &what, 1, 31, example).map(|n| n as u32);
                }
                "honor-constraints" => {
                    project.honor_constraints = self.boolean(entry, &what);
                }
                _ => {}
            }
        }
        Some(project)
    }

    fn calendar(&mut self, node: &KdlNode) -> Option<RawCalendar> {
        let read = self.read(node, &CALENDAR);
        let id = self.id(read.args.first()?, "the calendar id", "\"france-standard\"")?;
        let name = read
            .prop("name")
            .and_then(|e| self.string(e, "`name`", "name=\"France standard\""))
            .map(|s| s.value);
        let base = read
            .prop("base")
            .and_then(|e| self.id(e, "`base`", "base=\"france-standard\""));
        let mut week: [Option<Vec<Shift>>; 7] = Default::default();
        // Where each day was set, to point at the first setting when a day is set twice.
        let mut day_set_at: [Option<SourceSpan>; 7] = [None; 7];
        if let Some(entry) = read.prop("twenty-four-hours")
            && self.boolean(entry, "`twenty-four-hours`") == Some(true)
        {
            for (day, set_at) in week.iter_mut().zip(day_set_at.iter_mut()) {
                *day = Some(vec![Shift {
                    start: 0,
                    end: 1440,
                }]);
                *set_at = Some(entry.span());
            }
        }
        let mut exceptions = Vec::new();
        for child in read.children {
            match child.name().value() {
                "week" => self.week(child, &mut week, &mut day_set_at),
                "holiday" | "vacation" | "work" => {
                    if let Some(exception) = self.exception(child) {
                        exceptions.push(exception);
                    }
                }
                _ => self.unknown_node(&CALENDAR, child),
            }
        }
        Some(RawCalendar {
            id,
            span: read.header,
            name,
            base,
            week,
            exceptions,
        })
    }

    fn week(
        &mut self,
        node: &KdlNode,
        week: &mut [Option<Vec<Shift>>; 7],
        day_set_at: &mut [Option<SourceSpan>; 7],
    ) {
        let read = self.read(node, &WEEK);
        let Some(days_entry) = read.args.first() else {
            return;
        };
        let Some(days) = self.parsed(
            days_entry,
            "the days",
            "\"mon-fri\"",
            "not days",
            values::parse_days,
        ) else {
            return;
        };
        let Some(shifts) = self.shifts(&read.args[1..]) else {
            return;
        };
        for day in days {
            let index = values::weekday_index(day);
            if let Some(first) = day_set_at[index] {
                self.push(
                    Error::new(
                        ErrorKind::Duplicate,
                        value_span(days_entry),
                        format!(
                            "the hours of {} are already set",
                            format!("{day:?}").to_lowercase()
                        ),
                        "set again",
                    )
                    .related(first, "first set here")
                    .help("each day of the week is set once; name it in only one `week` line"),
                );
                continue;
            }
            week[index] = Some(shifts.clone());
            day_set_at[index] = Some(read.header);
        }
    }

    /// Working hours, in order and not overlapping.
    fn shifts(&mut self, entries: &[&KdlEntry]) -> Option<Vec<Shift>> {
        let mut shifts: Vec<Shift> = Vec::new();
        let mut ok = true;
        for entry in entries {
            let Some(shift) = self.parsed(
                entry,
                "working hours",
                "\"08:00-12:00\"",
                "not working hours",
                values::parse_shift,
            ) else {
                ok = false;
                continue;
            };
            if let Some(last) = shifts.last()
                && shift.start < last.end
            {
                self.push(
                    Error::new(
                        ErrorKind::BadValue,
                        value_span(entry),
                        format!(
                            "`{}` starts before the previous shift ends",
                            values::format_shift(shift)
                        ),
                        "overlaps or out of order",
                    )
                    .help("list a day's shifts in order, without overlap: \"08:00-12:00\" \"13:00-17:00\""),
                );
                ok = false;
                continue;
            }
            shifts.push(shift);
        }
        ok.then_some(shifts)
    }

    /// `holiday`, `vacation` and `work`: a name, dates, and for `work` the hours worked.
    fn exception(&mut self, node: &KdlNode) -> Option<Exception> {
        let kind = node.name().value();
        let spec = match kind {
            "holiday" => &HOLIDAY,
            "vacation" => &VACATION,
            _ => &WORK,
        };
        let read = self.read(node, spec);
        let name = match read.args.first() {
            Some(entry) => {
                self.string(entry, &format!("the {kind}'s name"), "\"Christmas\"")?
                    .value
            }
            None if kind == "vacation" => "Vacation".to_owned(),
            None => return None,
        };
        let shifts = if kind == "work" {
            if read.args.len() < 2 {
                return None;
            }
            self.shifts(&read.args[1..])?
        } else {
            Vec::new()
        };
        let dates = self.date_rule(&read, spec)?;
        Some(Exception {
            name,
            dates,
            shifts,
        })
    }

    /// The dates of an exception, from `date=`, `from=`/`to=`, `yearly=` or `weekly=`.
    fn date_rule(&mut self, read: &Read<'_>, spec: &Spec) -> Option<DateRule> {
        let node = spec.node;
        let mut ok = true;
        let date = match read.prop("date") {
            Some(e) => {
                let d = self.date(e, "`date`", "date=\"2027-01-01\"");
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let from = match read.prop("from") {
            Some(e) => {
                let d = self.date(e, "`from`", "from=\"2027-03-01\"");
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let to = match read.prop("to") {
            Some(e) => {
                let d = self.date(e, "`to`", "to=\"2027-03-12\"");
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let yearly = match read.prop("yearly") {
            Some(e) => {
                let y = self.parsed(
                    e,
                    "`yearly`",
                    "yearly=\"12-25\"",
                    "not a yearly date",
                    values::parse_yearly,
                );
                ok &= y.is_some();
                y
            }
            None => None,
        };
        let weekly = match read.prop("weekly") {
            Some(e) => {
                let w = self.parsed(
                    e,
                    "`weekly`",
                    "weekly=\"fri\"",
                    "not days",
                    values::parse_days,
                );
                ok &= w.is_some();
                w
            }
            None => None,
        };
        let mut year = |name: &str| -> Option<i16> {
            let entry = read.prop(name)?;
            let value = self.integer(entry, &format!("`{name}`"), 1, 9999, prop_example(name));
            ok &= value.is_some();
            value.map(|y| y as i16)
        };
        let from_year = year("from-year");
        let to_year = year("to-year");
        if !ok {
            return None;
        }
        let present = |name: &str| read.prop(name).map(|e| e.span());
        let conflict = |this: &mut Lowerer<'_>, a: &str, b: &str, help: &str| {
            if let (Some(_), Some(span_b)) = (present(a), present(b)) {
                this.push(
                    Error::new(
                        ErrorKind::Invalid,
                        span_b,
                        format!("`{b}` cannot be combined with `{a}`"),
                        "conflicting dates",
                    )
                    .help(help.to_owned()),
                );
                true
            } else {
                false
            }
        };
        let rules_help = "give one of: date=\"2027-01-01\", from=\"…\" to=\"…\", yearly=\"12-25\", or weekly=\"fri\" with from= and to=";
        let mut conflicting = false;
        for other in ["from", "to", "yearly", "weekly"] {
            conflicting |= conflict(self, "date", other, rules_help);
        }
        conflicting |= conflict(self, "yearly", "weekly", rules_help);
        for other in ["from", "to"] {
            conflicting |= conflict(
                self,
                "yearly",
                other,
                "a yearly rule is bounded with from-year= and to-year=",
            );
        }
        if yearly.is_none() {
            for name in ["from-year", "to-year"] {
                if let Some(span) = present(name) {
                    self.push(
                        Error::new(
                            ErrorKind::Invalid,
                            span,
                            format!("`{name}` only goes with `yearly`"),
                            "without yearly",
                        )
                        .help("bound other rules with from= and to="),
                    );
                    conflicting = true;
                }
            }
        }
        if conflicting {
            return None;
        }
        if let Some((month, day)) = yearly {
            if let (Some(from_year), Some(to_year)) = (from_year, to_year)
                && from_year > to_year
            {
                self.push(
                    Error::new(
                        ErrorKind::BadValue,
                        present("to-year").unwrap_or(read.header),
                        format!("`to-year` {to_year} is before `from-year` {from_year}"),
                        "before from-year",
                    )
                    .help("swap the two years"),
                );
                return None;
            }
            return Some(DateRule::Yearly {
                month,
                day,
                from_year,
                to_year,
            });
        }
        if let Some(date) = date {
            return Some(DateRule::Range {
                from: date,
                to: date,
            });
        }
        let (from, to) = match (from, to) {
            (Some(from), Some(to)) => (from, to),
            (None, None) => {
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        read.header,
                        format!("`{node}` has no dates"),
                        "which dates?",
                    )
                    .help(rules_help),
                );
                return None;
            }
            (Some(_), None) | (None, Some(_)) => {
                let (has, lacks) = if from.is_some() {
                    ("from", "to")
                } else {
                    ("to", "from")
                };
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        present(has).unwrap_or(read.header),
                        format!("`{has}` without `{lacks}`"),
                        format!("needs `{lacks}`"),
                    )
                    .help(format!(
                        "give both ends, like {} {}",
                        prop_example("from"),
                        prop_example("to")
                    )),
                );
                return None;
            }
        };
        if from > to {
            self.push(
                Error::new(
                    ErrorKind::BadValue,
                    present("to").unwrap_or(read.header),
                    format!(
                        "`to` {} is before `from` {}",
                        values::format_date(to),
                        values::format_date(from)
                    ),
                    "before from",
                )
                .help("swap the two dates"),
            );
            return None;
        }
        Some(match weekly {
            Some(weekdays) => DateRule::Weekly { weekdays, from, to },
            None => DateRule::Range { from, to },
        })
    }

    fn resource(&mut self, node: &KdlNode) -> Option<RawResource> {
        let read = self.read(node, &RESOURCE);
        let id = self.id(read.args.first()?, "the resource id", "\"ana\"")?;
        let mut resource = Resource::new(id.value.clone(), id.value.clone());
        let text = |this: &mut Lowerer<'_>, name: &str| {
            read.prop(name)
                .and_then(|e| this.string(e, &format!("`{name}`"), prop_example(name)))
                .map(|s| s.value)
        };
        if let Some(name) = text(self, "name") {
            resource.name = name;
        }
        resource.group = text(self, "group");
        resource.email = text(self, "email");
        if let Some(entry) = read.prop("kind")
            && let Some(kind) = self.keyword(
                entry,
                "resource kind",
                &[
                    ("work", ResourceKind::Work),
                    ("material", ResourceKind::Material),
                    ("cost", ResourceKind::Cost),
                ],
            )
        {
            resource.kind = kind;
        }
        if let Some(entry) = read.prop("max-units")
            && let Some(units) = self.percent(entry, "`max-units`", 100_000, values::PERCENT_HELP)
        {
            resource.max_units = units;
        }
        let mut rates = Rates::default();
        if let Some(entry) = read.prop("rate") {
            rates.standard = self.money(entry, "`rate`").unwrap_or_default();
        }
        if let Some(entry) = read.prop("overtime-rate") {
            rates.overtime = self.money(entry, "`overtime-rate`").unwrap_or_default();
        }
        if let Some(entry) = read.prop("cost-per-use") {
            rates.per_use = self.money(entry, "`cost-per-use`").unwrap_or_default();
        }
        resource.rates = rates;
        let calendar = read
            .prop("calendar")
            .and_then(|e| self.id(e, "`calendar`", "calendar=\"france-standard\""));
        let mut exceptions = Vec::new();
        for child in read.children {
            match child.name().value() {
                "holiday" | "vacation" | "work" => {
                    if let Some(exception) = self.exception(child) {
                        exceptions.push(exception);
                    }
                }
                _ => self.unknown_node(&RESOURCE, child),
            }
        }
        Some(RawResource {
            id,
            span: read.header,
            resource,
            calendar,
            exceptions,
        })
    }

    fn task(&mut self, node: &KdlNode, depth: usize) -> Option<RawTask> {
        let milestone = node.name().value() == "milestone";
        let spec = if milestone { &MILESTONE } else { &TASK };
        if depth > MAX_TASK_DEPTH {
            self.push(
                Error::new(
                    ErrorKind::Invalid,
                    node.name().span(),
                    format!("tasks nest more than {MAX_TASK_DEPTH} levels deep"),
                    "too deep",
                )
                .help("flatten the outline: a plan this deep cannot be read by people either"),
            );
            return None;
        }
        let read = self.read(node, spec);
        let id = self.id(read.args.first()?, "the task id", "\"design\"")?;
        let name = match read.args.get(1) {
            Some(entry) => self
                .string(entry, "the task name", "\"Design the API\"")
                .map_or_else(|| id.value.clone(), |s| s.value),
            None => id.value.clone(),
        };
        let mut task = Task::new(id.value.clone(), name);
        task.milestone = milestone;
        let text = |this: &mut Lowerer<'_>, name: &str| {
            read.prop(name)
                .and_then(|e| this.string(e, &format!("`{name}`"), prop_example(name)))
        };
        let duration = text(self, "duration");
        let work = text(self, "work");
        let calendar = read
            .prop("calendar")
            .and_then(|e| self.id(e, "`calendar`", "calendar=\"24h\""));
        if let Some(entry) = read.prop("type")
            && let Some(task_type) = self.keyword(
                entry,
                "task type",
                &[
                    ("fixed-units", TaskType::FixedUnits),
                    ("fixed-duration", TaskType::FixedDuration),
                    ("fixed-work", TaskType::FixedWork),
                ],
            )
        {
            task.task_type = task_type;
        }
        if let Some(entry) = read.prop("effort-driven")
            && let Some(value) = self.boolean(entry, "`effort-driven`")
        {
            task.effort_driven = value;
        }
        if let Some(entry) = read.prop("priority")
            && let Some(priority) = self.integer(entry, "`priority`", 0, 1000, "priority=700")
        {
            task.priority = priority as u16;
        }
        if let Some(entry) = read.prop("deadline") {
            task.deadline =
                self.datetime(entry, "`deadline`", "deadline=\"2027-03-31\"", Edge::Finish);
        }
        let mut raw = RawTask {
            id,
            span: read.header,
            name_span: read.name_span,
            task,
            duration,
            work,
            calendar,
            afters: Vec::new(),
            assigns: Vec::new(),
            pauses: Vec::new(),
            children: Vec::new(),
        };
        let mut constraint_at: Option<SourceSpan> = None;
        let mut manual_at: Option<SourceSpan> = None;
        let mut progress_at: Option<SourceSpan> = None;
        let mut notes: Vec<String> = Vec::new();
        // A task with tasks in its block is a summary (even when a subtask has errors): its
        // dates and progress roll up from its subtasks. (A milestone's subtasks are refused.)
        let first_subtask = if milestone {
            None
        } else {
            read.children
                .iter()
                .find(|c| matches!(c.name().value(), "task" | "milestone"))
                .map(header_span)
        };
        let shape = Shape {
            milestone,
            first_subtask,
        };
        for child in read.children {
            match child.name().value() {
                "task" | "milestone" => {
                    if milestone {
                        self.push(
                            Error::new(
                                ErrorKind::Invalid,
                                child.name().span(),
                                "a milestone cannot contain tasks",
                                "inside a milestone",
                            )
                            .related(read.name_span, "this milestone")
                            .help("make the milestone a `task` (a summary) and put a milestone inside it at the end"),
                        );
                        continue;
                    }
                    if let Some(sub) = self.task(child, depth + 1) {
                        raw.children.push(sub);
                    }
                }
                "after" => {
                    if let Some(after) = self.after(child) {
                        raw.afters.push(after);
                    }
                }
                "assign" => {
                    if let Some(assign) = self.assign(child) {
                        raw.assigns.push(assign);
                    }
                }
                "constraint" => {
                    let child_span = header_span(child);
                    if let Some(first) = constraint_at {
                        self.read(child, &CONSTRAINT);
                        self.push(
                            Error::new(
                                ErrorKind::Duplicate,
                                child_span,
                                "a task has at most one constraint",
                                "second constraint",
                            )
                            .related(first, "first constraint")
                            .help("keep the one that matters; deadlines go in deadline= and never move the task"),
                        );
                        continue;
                    }
                    constraint_at = Some(child_span);
                    if let Some(constraint) = self.constraint(child) {
                        raw.task.constraint = constraint;
                    }
                }
                "manual" | "progress" => {
                    let is_manual = child.name().value() == "manual";
                    let (spec, seen) = if is_manual {
                        (&MANUAL, &mut manual_at)
                    } else {
                        (&PROGRESS, &mut progress_at)
                    };
                    let child_span = header_span(child);
                    if let Some(first) = *seen {
                        self.read(child, spec);
                        self.push(
                            Error::new(
                                ErrorKind::Duplicate,
                                child_span,
                                format!("a task has at most one `{}` line", spec.node),
                                format!("second `{}`", spec.node),
                            )
                            .related(first, format!("first `{}`", spec.node))
                            .help(if is_manual {
                                "keep one: a manually scheduled task has one start and one finish"
                            } else {
                                "keep one: the latest percent complete with its actual dates"
                            }),
                        );
                        continue;
                    }
                    *seen = Some(child_span);
                    if is_manual {
                        raw.task.manual = self.manual(child, shape);
                    } else if let Some(progress) = self.progress(child, shape) {
                        raw.task.progress = progress;
                    }
                }
                "pause" => {
                    if let Some(pause) = self.pause(child, shape) {
                        raw.pauses.push(pause);
                    }
                }
                "note" => {
                    let note_read = self.read(child, &NOTE);
                    if let Some(entry) = note_read.args.first()
                        && let Some(text) =
                            self.string(entry, "the note", "\"Waiting for the client\"")
                    {
                        notes.push(text.value);
                    }
                }
                _ => self.unknown_node(spec, child),
            }
        }
        raw.task.notes = notes.join("\n");
        Some(raw)
    }

    /// A datetime property, if present: `Some(None)` when it is there but could not be read.
    fn date_prop(
        &mut self,
        read: &Read<'_>,
        name: &str,
        edge: Edge,
    ) -> Option<Option<Sp<DateTime>>> {
        let entry = read.prop(name)?;
        Some(
            self.datetime(entry, &format!("`{name}`"), prop_example(name), edge)
                .map(|value| Sp {
                    value,
                    span: value_span(entry),
                }),
        )
    }

    /// `pause after="3d" for="2d"`: the task's work stops after `after` of it, for `for` of
    /// its working time (MS Project's split task). Only a task with work to split has pauses.
    fn pause(&mut self, node: &KdlNode, shape: Shape) -> Option<RawPause> {
        let read = self.read(node, &PAUSE);
        let text = |this: &mut Lowerer<'_>, name: &str| {
            read.prop(name)
                .and_then(|e| this.string(e, &format!("`{name}`"), prop_example(name)))
        };
        let (after, length) = (text(self, "after"), text(self, "for"));
        let refused = if shape.milestone {
            Some(("a milestone cannot pause", "on a milestone"))
        } else if shape.first_subtask.is_some() {
            Some((
                "a summary task cannot pause: its dates span its subtasks",
                "on a summary task",
            ))
        } else {
            None
        };
        if let Some((message, label)) = refused {
            self.push(
                Error::new(ErrorKind::Invalid, read.header, message, label)
                    .help("put the pause on the task whose work stops"),
            );
            return None;
        }
        match (after, length) {
            (Some(after), Some(length)) => Some(RawPause { after, length }),
            (after, _) => {
                let lacks = if after.is_none() { "after" } else { "for" };
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        read.header,
                        format!("`pause` has no `{lacks}`"),
                        format!("needs `{lacks}`"),
                    )
                    .help(format!(
                        "say how much of the work is done before the pause and how long it lasts, like: {}",
                        PAUSE.example
                    )),
                );
                None
            }
        }
    }

    /// `manual start="…" finish="…"`: the task is scheduled at these dates whatever its links say.
    /// A milestone is one instant: `start` or `finish` alone, or both the same.
    fn manual(&mut self, node: &KdlNode, shape: Shape) -> Option<ManualDates> {
        let read = self.read(node, &MANUAL);
        let start = self.date_prop(&read, "start", Edge::Start);
        let finish = self.date_prop(&read, "finish", Edge::Finish);
        if matches!(start, Some(None)) || matches!(finish, Some(None)) {
            return None;
        }
        let (start, finish) = (start.flatten(), finish.flatten());
        if let Some(subtask) = shape.first_subtask {
            self.push(
                Error::new(
                    ErrorKind::Invalid,
                    read.header,
                    "a summary task cannot be manually scheduled",
                    "on a summary task",
                )
                .related(subtask, "its subtasks")
                .help("a summary's dates span its subtasks: put `manual` on the subtasks instead"),
            );
            return None;
        }
        let dates = match (start, finish) {
            (None, None) => {
                let example = if shape.milestone {
                    "manual finish=\"2027-02-05T17:00\""
                } else {
                    MANUAL.example
                };
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        read.header,
                        "`manual` has no dates",
                        "which dates?",
                    )
                    .help(format!("write it like: {example}")),
                );
                return None;
            }
            (Some(at), None) | (None, Some(at)) if shape.milestone => ManualDates {
                start: at.value,
                finish: at.value,
            },
            (Some(start), None) | (None, Some(start)) => {
                let (has, lacks) = if read.prop("start").is_some() {
                    ("start", "finish")
                } else {
                    ("finish", "start")
                };
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        start.span,
                        format!("`manual` has a `{has}` but no `{lacks}`"),
                        format!("needs `{lacks}`"),
                    )
                    .help(format!(
                        "a manually scheduled task is given both dates, like: {}",
                        MANUAL.example
                    )),
                );
                return None;
            }
            (Some(start), Some(finish)) if shape.milestone && start.value != finish.value => {
                self.push(
                    Error::new(
                        ErrorKind::Invalid,
                        finish.span,
                        format!(
                            "a milestone is one instant, but its manual start {} and finish {} differ",
                            values::format_instant(start.value),
                            values::format_instant(finish.value)
                        ),
                        "not the start",
                    )
                    .related(start.span, "start")
                    .help("give one date, like: manual finish=\"2027-02-05T17:00\" (a date alone is the start of that day as start=, its end as finish=)"),
                );
                return None;
            }
            (Some(start), Some(finish)) if finish.value < start.value => {
                self.push(
                    Error::new(
                        ErrorKind::BadValue,
                        finish.span,
                        format!(
                            "the manual finish {} is before the start {}",
                            values::format_datetime(finish.value, Edge::Finish),
                            values::format_datetime(start.value, Edge::Start)
                        ),
                        "before the start",
                    )
                    .related(start.span, "start")
                    .help("swap the two dates (a date alone as finish= means the end of that day)"),
                );
                return None;
            }
            (Some(start), Some(finish)) => ManualDates {
                start: start.value,
                finish: finish.value,
            },
        };
        Some(dates)
    }

    /// `progress "40%" actual-start="…" actual-finish="…"`: what has been done. The rules are
    /// those MS Project keeps: work done means a start, 100% means a finish and a finish 100%.
    fn progress(&mut self, node: &KdlNode, shape: Shape) -> Option<Progress> {
        let read = self.read(node, &PROGRESS);
        let percent_entry = read.args.first().copied();
        // Read every value before giving up on one, so that all bad ones are reported.
        let percent = percent_entry
            .map(|entry| self.percent(entry, "the percent complete", 100, values::PROGRESS_HELP));
        let start = self.date_prop(&read, "actual-start", Edge::Start);
        let finish = self.date_prop(&read, "actual-finish", Edge::Finish);
        if matches!(percent, Some(None))
            || matches!(start, Some(None))
            || matches!(finish, Some(None))
        {
            return None;
        }
        let percent = percent.flatten();
        let (start, finish) = (start.flatten(), finish.flatten());
        if percent.is_none() && start.is_none() && finish.is_none() {
            self.push(
                Error::new(
                    ErrorKind::Missing,
                    read.header,
                    "`progress` gives no percent complete and no actual dates",
                    "what progress?",
                )
                .help(format!("write it like: {}", PROGRESS.example)),
            );
            return None;
        }
        if let Some(subtask) = shape.first_subtask {
            self.push(
                Error::new(
                    ErrorKind::Invalid,
                    read.header,
                    "progress is recorded on subtasks, not on their summary",
                    "on a summary task",
                )
                .related(subtask, "its subtasks")
                .help("a summary's progress rolls up from its subtasks: record it on them"),
            );
            return None;
        }
        let percent_complete = percent.unwrap_or(0) as u8;
        // Where to point at the percentage, or at the line when it is left out (0%).
        let percent_span = percent_entry.map_or(read.header, value_span);
        let errors_before = self.errors.len();
        match (&start, &finish) {
            (None, Some(finish)) if !shape.milestone => self.push(
                Error::new(
                    ErrorKind::Missing,
                    finish.span,
                    "`actual-finish` without `actual-start`",
                    "needs actual-start",
                )
                .help("a finished task has started: add actual-start=\"…\", when work began"),
            ),
            (Some(start), Some(finish)) if shape.milestone && start.value != finish.value => self
                .push(
                    Error::new(
                        ErrorKind::Invalid,
                        finish.span,
                        format!(
                            "a milestone is one instant, but its actual start {} and finish {} differ",
                            values::format_instant(start.value),
                            values::format_instant(finish.value)
                        ),
                        "not the start",
                    )
                    .related(start.span, "actual start")
                    .help("give `actual-finish` alone, like: progress \"100%\" actual-finish=\"2027-02-05T17:00\" (a date alone is the start of that day as actual-start=, its end as actual-finish=)"),
                ),
            (Some(start), Some(finish)) if finish.value < start.value => self.push(
                Error::new(
                    ErrorKind::BadValue,
                    finish.span,
                    format!(
                        "`actual-finish` {} is before `actual-start` {}",
                        values::format_datetime(finish.value, Edge::Finish),
                        values::format_datetime(start.value, Edge::Start)
                    ),
                    "before the start",
                )
                .related(start.span, "actual start")
                .help("swap the two dates (a date alone as actual-finish= means the end of that day)"),
            ),
            _ => {}
        }
        match (&start, &finish) {
            (_, Some(finish)) if percent_complete < 100 => self.push(
                Error::new(
                    ErrorKind::Invalid,
                    percent_entry.map_or(finish.span, value_span),
                    format!(
                        "the task has an actual finish, but is {percent_complete}% complete"
                    ),
                    "not 100%",
                )
                .related(finish.span, "finished here")
                .help("a finished task is 100% complete: write progress \"100%\", or remove actual-finish if work remains"),
            ),
            (start, None) if percent_complete == 100 => self.push(
                Error::new(
                    ErrorKind::Missing,
                    percent_span,
                    "the task is 100% complete but has no `actual-finish`",
                    "finished when?",
                )
                .help(if start.is_none() && !shape.milestone {
                    "add actual-start=\"…\" actual-finish=\"…\", when work began and ended; or lower the percentage if work remains"
                } else {
                    "add actual-finish=\"…\", when it was finished; or lower the percentage if work remains"
                }),
            ),
            (None, None) if percent_complete > 0 => self.push(
                Error::new(
                    ErrorKind::Missing,
                    percent_span,
                    format!("the task is {percent_complete}% complete but has no `actual-start`"),
                    "started when?",
                )
                .help("add actual-start=\"…\", when work began"),
            ),
            _ => {}
        }
        if self.errors.len() > errors_before {
            return None;
        }
        Some(Progress {
            percent_complete,
            actual_start: start.map(|s| s.value),
            actual_finish: finish.map(|f| f.value),
        })
    }

    fn after(&mut self, node: &KdlNode) -> Option<RawAfter> {
        let read = self.read(node, &AFTER);
        let predecessors: Vec<Sp<String>> = read
            .args
            .iter()
            .filter_map(|e| self.id(e, "the task id", "\"design\""))
            .collect();
        if predecessors.len() != read.args.len() || predecessors.is_empty() {
            return None;
        }
        let mut kind = LinkKind::FinishToStart;
        if let Some(entry) = read.prop("type") {
            kind = self.keyword(
                entry,
                "link type",
                &[
                    ("FS", LinkKind::FinishToStart),
                    ("SS", LinkKind::StartToStart),
                    ("FF", LinkKind::FinishToFinish),
                    ("SF", LinkKind::StartToFinish),
                ],
            )?;
        }
        let lag = match read.prop("lag") {
            Some(entry) => Some(self.string(entry, "`lag`", "lag=\"2d\"")?),
            None => None,
        };
        Some(RawAfter {
            span: read.header,
            predecessors,
            kind,
            lag,
        })
    }

    fn assign(&mut self, node: &KdlNode) -> Option<RawAssign> {
        let read = self.read(node, &ASSIGN);
        let resources: Vec<Sp<String>> = read
            .args
            .iter()
            .filter_map(|e| self.id(e, "the resource id", "\"ana\""))
            .collect();
        if resources.len() != read.args.len() || resources.is_empty() {
            return None;
        }
        let units = match read.prop("units") {
            Some(entry) => self.percent(entry, "`units`", 100_000, values::PERCENT_HELP)?,
            None => 100,
        };
        let work = match read.prop("work") {
            Some(entry) => Some(self.string(entry, "`work`", "work=\"16h\"")?),
            None => None,
        };
        Some(RawAssign {
            span: read.header,
            resources,
            units,
            work,
        })
    }

    fn constraint(&mut self, node: &KdlNode) -> Option<Constraint> {
        const KINDS: &[(&str, &str, ConstraintKind)] = values::CONSTRAINT_KINDS;
        let read = self.read(node, &CONSTRAINT);
        let kind_entry = read.args.first()?;
        let kind_text = self.string(
            kind_entry,
            "the constraint kind",
            "\"start-no-earlier-than\"",
        )?;
        let lower = kind_text.value.to_ascii_lowercase();
        let Some(&(long, _, kind)) = KINDS
            .iter()
            .find(|(long, short, _)| lower == *long || lower == *short)
        else {
            let names: Vec<&str> = KINDS.iter().flat_map(|(l, s, _)| [*l, *s]).collect();
            let help = match suggest::closest(&kind_text.value, names.iter().copied()) {
                Some(name) => format!("did you mean `{name}`?"),
                None => format!(
                    "constraints are: {}",
                    suggest::list(&KINDS.iter().map(|(l, _, _)| *l).collect::<Vec<_>>())
                ),
            };
            self.push(
                Error::new(
                    ErrorKind::BadValue,
                    kind_text.span,
                    format!("unknown constraint `{}`", kind_text.value),
                    "unknown constraint",
                )
                .help(help),
            );
            return None;
        };
        let edge = values::constraint_edge(kind);
        match (kind.needs_date(), read.args.get(1)) {
            (true, None) => {
                self.push(
                    Error::new(
                        ErrorKind::Missing,
                        read.header,
                        format!("`{long}` needs a date"),
                        "which date?",
                    )
                    .help(format!(
                        "write it like: constraint \"{long}\" \"2027-03-01\""
                    )),
                );
                None
            }
            (false, Some(extra)) => {
                self.push(
                    Error::new(
                        ErrorKind::UnexpectedArgument,
                        extra.span(),
                        format!("`{long}` takes no date"),
                        "not expected",
                    )
                    .help(format!("write it like: constraint \"{long}\"")),
                );
                None
            }
            (true, Some(entry)) => {
                let example = format!("\"{}\"", "2027-03-01");
                let date = self.datetime(entry, "the constraint date", &example, edge)?;
                Some(Constraint {
                    kind,
                    date: Some(date),
                })
            }
            (false, None) => Some(Constraint { kind, date: None }),
        }
    }
}
