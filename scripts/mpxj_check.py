#!/usr/bin/env python3
"""Read MSPDI files with MPXJ and print what it sees, as JSON: the reference-client check of
the MS Project XML Regie writes.

    pip install mpxj JPype1        # Java 17 on PATH
    python3 scripts/mpxj_check.py [--validate] [--cpm] [--roundtrip DIR] [--pretty] FILE...

One JVM reads every file (the JVM start and MPXJ's first read cost ~2 s, each further small
file ~50 ms), with MPXJ's `UniversalProjectReader`, which goes by content, not by extension. For each
file one JSON object is printed on its own line (`--pretty`: indented), in the order given:

  project      name, title, start, finish, status date, schedule from, minutes per day/week,
               days per month, honor constraints, currency, default calendar UID
  tasks        UID, ID, name, outline level/number, WBS, parent UID, summary, milestone, manual,
               start, finish, duration {value, units}, type, constraint type/date, deadline,
               priority, percent complete, actual start/finish, calendar UID, notes,
               effort driven, Text1, predecessors [{uid, type FS/SS/FF/SF, lag {value, units}}]
  calendars    UID, name, parent UID, week days {type, hours}, exceptions (dates, name,
               working, hours, recurrence), and `resolved`: the working hours MPXJ computes for
               every date from two weeks before the project start to two weeks after its finish
               (inheritance and exceptions applied): {"2027-01-04": "08:00-12:00,13:00-17:00"}
  resources    UID, ID, name, type, group, email, max units, rates, cost per use, calendar UID,
               Text1
  assignments  task UID, resource UID, units, work {value, units}, start, finish

Units are MPXJ's abbreviations: m h d w mo (working), em eh ed ew emo (elapsed), % e%.
Dates are local `YYYY-MM-DDTHH:MM`.

--roundtrip DIR  also writes each project back with MPXJ's MSPDI writer
                 (`MSPDIWriter`, timephased data on) to DIR/<file name>, and names it in
                 the output as "roundtrip".
--validate       also validates each file against the MSPDI schema MPXJ's JAXB classes are
                 generated from (element order, types; the order is Microsoft's XSD's), and adds
                 "schema_errors": [...]. Needs `javac` (a JDK) to build a 40-line helper, once, into
                 ~/.cache/regie-mpxj-check (XDG_CACHE_HOME); without javac "schema_errors" is
                 null.
--cpm            also schedules each project with MPXJ's MicrosoftScheduler (CPM mimicking MS
                 Project) from its start date, after the dump, and adds "cpm": {UID: [start,
                 finish]} (or "cpm_error").

Exit status 0 when every file was read, 1 otherwise (failures are {"file", "error"} objects).
"""

import argparse
import json
import os
import sys

# C1 JIT and the serial GC start MPXJ twice as fast on small machines (../shared/tools).
JVM_ARGS = [
    "-Djava.awt.headless=true",
    # MPXJ ships log4j-api without a provider; its warning would land on stdout.
    "-Dlog4j2.statusLoggerLevel=OFF",
    "-Xmx1g",
    "-XX:TieredStopAtLevel=1",
    "-XX:+UseSerialGC",
    "-Xshare:auto",
]


# JPype cannot subclass Java's abstract SchemaOutputResolver, so schema validation is a small
# Java class compiled on demand.
VALIDATOR_JAVA = r"""
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.transform.Result;
import javax.xml.transform.Source;
import javax.xml.transform.stream.StreamResult;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

public class RegieMspdiSchema {
    private final Schema schema;

    public RegieMspdiSchema(String dir) throws Exception {
        jakarta.xml.bind.JAXBContext context = jakarta.xml.bind.JAXBContext.newInstance(
            "org.mpxj.mspdi.schema", org.mpxj.mspdi.MSPDIReader.class.getClassLoader());
        List<File> files = new ArrayList<>();
        context.generateSchema(new jakarta.xml.bind.SchemaOutputResolver() {
            public Result createOutput(String namespace, String name) {
                File file = new File(dir, "mspdi" + files.size() + ".xsd");
                files.add(file);
                StreamResult result = new StreamResult(file);
                result.setSystemId(file.toURI().toString());
                return result;
            }
        });
        Source[] sources = files.stream().map(StreamSource::new).toArray(Source[]::new);
        schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(sources);
    }

    public List<String> validate(String path) throws Exception {
        List<String> errors = new ArrayList<>();
        javax.xml.validation.Validator validator = schema.newValidator();
        validator.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) {}
            public void error(SAXParseException e) { errors.add(e.getLineNumber() + ": " + e.getMessage()); }
            public void fatalError(SAXParseException e) { errors.add(e.getLineNumber() + ": " + e.getMessage()); }
        });
        validator.validate(new StreamSource(new File(path)));
        return errors;
    }
}
"""


def compile_validator(workdir):
    """Compiles the schema helper into `workdir` (once per helper and MPXJ version: a JVM
    compile costs a second and a half); False when there is no javac."""
    import shutil
    import subprocess

    import mpxj

    if os.path.exists(os.path.join(workdir, "RegieMspdiSchema.class")):
        return True
    javac = shutil.which("javac")
    if javac is None:
        return False
    os.makedirs(workdir, exist_ok=True)
    source = os.path.join(workdir, "RegieMspdiSchema.java")
    with open(source, "w") as fh:
        fh.write(VALIDATOR_JAVA)
    classpath = os.path.join(os.path.dirname(mpxj.__file__), "lib", "*")
    build = workdir + ".%d" % os.getpid()
    done = subprocess.run(
        [javac, "-nowarn", "-cp", classpath, "-d", build, source], capture_output=True, text=True
    )
    if done.returncode != 0:
        sys.stderr.write(done.stderr)
        return False
    # The main class last: its presence says the helper is complete.
    for name in sorted(os.listdir(build), key=lambda n: n == "RegieMspdiSchema.class"):
        os.replace(os.path.join(build, name), os.path.join(workdir, name))
    shutil.rmtree(build, ignore_errors=True)
    return True


def start_jvm(extra_classpath=None):
    import jpype
    import mpxj  # noqa: F401  (puts MPXJ's jars on the class path)

    if extra_classpath:
        jpype.addClassPath(extra_classpath)
    jpype.startJVM(*JVM_ARGS, convertStrings=True)


def validator_dir():
    """Where the compiled schema helper is kept: the user's cache, by helper and MPXJ version."""
    import hashlib

    import mpxj
    from importlib import metadata

    try:
        version = metadata.version("mpxj")
    except metadata.PackageNotFoundError:
        version = str(os.path.getmtime(mpxj.__file__))
    key = hashlib.sha256((VALIDATOR_JAVA + version).encode()).hexdigest()
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "regie-mpxj-check", key[:16])


class Checker:
    def __init__(self, validate=False):
        self.workdir = validator_dir()
        can_validate = validate and compile_validator(self.workdir)
        start_jvm(self.workdir if can_validate else None)
        self.schema = None
        if can_validate:
            import shutil
            import tempfile

            import jpype

            schema_dir = tempfile.mkdtemp(prefix="mpxj-check-")
            try:
                self.schema = jpype.JClass("RegieMspdiSchema")(schema_dir)
            finally:
                shutil.rmtree(schema_dir, ignore_errors=True)
        from java.time import DayOfWeek
        from java.time.format import DateTimeFormatter
        from org.mpxj.mspdi import MSPDIWriter
        from org.mpxj.reader import UniversalProjectReader

        self.reader_class = UniversalProjectReader
        # With timephased data, as MS Project saves it: a split task's pauses live there.
        self.writer = MSPDIWriter()
        self.writer.setWriteTimephasedData(True)
        self.dt_fmt = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")
        self.t_fmt = DateTimeFormatter.ofPattern("HH:mm")
        self.days = list(DayOfWeek.values())

    # ---- values ----------------------------------------------------------------------------
    def dt(self, v):
        return None if v is None else str(v.format(self.dt_fmt))

    def date(self, v):
        return None if v is None else str(v.toString())

    @staticmethod
    def num(v):
        if v is None:
            return None
        r = round(float(v), 6)
        return int(r) if r == int(r) else r

    def dur(self, v):
        if v is None:
            return None
        return {"value": self.num(v.getDuration()), "units": str(v.getUnits().toString())}

    @staticmethod
    def enum(v):
        if v is None:
            return None
        try:
            return str(v.name())
        except AttributeError:
            return str(v.toString())

    def hours(self, ranges):
        if ranges is None:
            return ""
        return ",".join(
            "%s-%s" % (self.t_fmt.format(r.getStart()), self.t_fmt.format(r.getEnd())) for r in ranges
        )

    # ---- sections --------------------------------------------------------------------------
    def project(self, props):
        cal = props.getDefaultCalendar()
        return {
            "name": props.getName(),
            "title": props.getProjectTitle(),
            "start": self.dt(props.getStartDate()),
            "finish": self.dt(props.getFinishDate()),
            "status_date": self.dt(props.getStatusDate()),
            "schedule_from": self.enum(props.getScheduleFrom()),
            "minutes_per_day": self.num(props.getMinutesPerDay()),
            "minutes_per_week": self.num(props.getMinutesPerWeek()),
            "days_per_month": self.num(props.getDaysPerMonth()),
            "honor_constraints": bool(props.getHonorConstraints()),
            "currency_code": props.getCurrencyCode(),
            "default_calendar_uid": self.num(cal.getUniqueID()) if cal is not None else None,
        }

    def tasks(self, project):
        from org.mpxj import TaskField

        out = []
        for t in project.getTasks():
            if t.getUniqueID() is not None and int(t.getUniqueID()) == 0:
                continue  # MS Project's project summary task
            parent = t.getParentTask()
            cal = t.getCalendar()
            preds = []
            for r in t.getPredecessors():
                pt = r.getPredecessorTask()
                preds.append(
                    {
                        "uid": self.num(pt.getUniqueID()) if pt is not None else None,
                        "type": str(r.getType().toString()),
                        "lag": self.dur(r.getLag()),
                    }
                )
            out.append(
                {
                    "uid": self.num(t.getUniqueID()),
                    "id": self.num(t.getID()),
                    "name": t.getName(),
                    "outline_level": self.num(t.getOutlineLevel()),
                    "outline_number": t.getOutlineNumber(),
                    "wbs": t.getWBS(),
                    "parent_uid": self.num(parent.getUniqueID()) if parent is not None else None,
                    "summary": bool(t.getSummary()),
                    "milestone": bool(t.getMilestone()),
                    "manual": self.enum(t.getTaskMode()) == "MANUALLY_SCHEDULED",
                    "start": self.dt(t.getStart()),
                    "finish": self.dt(t.getFinish()),
                    "duration": self.dur(t.getDuration()),
                    "work": self.dur(t.getWork()),
                    "type": self.enum(t.getType()),
                    "constraint_type": self.enum(t.getConstraintType()),
                    "constraint_date": self.dt(t.getConstraintDate()),
                    "deadline": self.dt(t.getDeadline()),
                    "priority": self.num(t.getPriority().getValue()) if t.getPriority() else None,
                    "percent_complete": self.num(t.getPercentageComplete()),
                    "actual_start": self.dt(t.getActualStart()),
                    "actual_finish": self.dt(t.getActualFinish()),
                    "calendar_uid": self.num(cal.getUniqueID()) if cal is not None else None,
                    "ignore_resource_calendar": bool(t.getIgnoreResourceCalendar()),
                    "notes": t.getNotes() or None,
                    "effort_driven": bool(t.getEffortDriven()),
                    "text1": t.get(TaskField.TEXT1),
                    "predecessors": preds,
                }
            )
        return out

    def recurrence(self, rec):
        if rec is None:
            return None
        days = [str(d.toString())[:3] for d in self.days if rec.getWeeklyDay(d)]
        return {
            "type": self.enum(rec.getRecurrenceType()),
            "relative": bool(rec.getRelative()),
            "frequency": self.num(rec.getFrequency()),
            "day_number": self.num(rec.getDayNumber()),
            "day_of_week": str(rec.getDayOfWeek().toString())[:3] if rec.getDayOfWeek() else None,
            "month": self.num(rec.getMonthNumber()),
            "weekdays": days,
            "occurrences": self.num(rec.getOccurrences()),
            "dates": [self.date(d) for d in rec.getDates()],
        }

    def calendars(self, project, props):
        from java.time import LocalDate

        start, finish = props.getStartDate(), props.getFinishDate()
        out = []
        for c in project.getCalendars():
            parent = c.getParent()
            week = {}
            for day in self.days:
                week[str(day.toString())[:3]] = {
                    "type": self.enum(c.getCalendarDayType(day)),
                    "hours": self.hours(c.getCalendarHours(day)),
                }
            exceptions = [
                {
                    "from": self.date(e.getFromDate()),
                    "to": self.date(e.getToDate()),
                    "name": e.getName(),
                    "working": bool(e.getWorking()),
                    "hours": self.hours(e),
                    "recurring": self.recurrence(e.getRecurring()),
                }
                for e in c.getCalendarExceptions()
            ]
            resolved = {}
            if start is not None and finish is not None:
                # Tasks held before the project start (actuals, constraints) finish before it.
                first, end = sorted([start.toLocalDate(), finish.toLocalDate()], key=str)
                day = first.minusDays(14)
                last = end.plusDays(14)
                while not day.isAfter(last):
                    resolved[str(day.toString())] = self.hours(c.getHours(day))
                    day = day.plusDays(1)
            out.append(
                {
                    "uid": self.num(c.getUniqueID()),
                    "name": c.getName(),
                    "parent_uid": self.num(parent.getUniqueID()) if parent is not None else None,
                    "type": self.enum(c.getType()),
                    "days": week,
                    "exceptions": exceptions,
                    "resolved": resolved,
                }
            )
        return out

    def resources(self, project):
        from org.mpxj import ResourceField

        out = []
        for r in project.getResources():
            if r.getUniqueID() is not None and int(r.getUniqueID()) == 0:
                continue  # MS Project's unnamed resource 0
            cal = r.getCalendar()
            std, ot = r.getStandardRate(), r.getOvertimeRate()
            out.append(
                {
                    "uid": self.num(r.getUniqueID()),
                    "id": self.num(r.getID()),
                    "name": r.getName(),
                    "type": self.enum(r.getType()),
                    "group": r.getGroup(),
                    "email": r.getEmailAddress(),
                    "max_units": self.num(r.getMaxUnits()),
                    "standard_rate": None if std is None else self.num(std.getAmount()),
                    "standard_rate_units": None if std is None else str(std.getUnits().toString()),
                    "overtime_rate": None if ot is None else self.num(ot.getAmount()),
                    "cost_per_use": self.num(r.getCostPerUse()),
                    "calendar_uid": self.num(cal.getUniqueID()) if cal is not None else None,
                    "text1": r.get(ResourceField.TEXT1),
                }
            )
        return out

    def assignments(self, project):
        out = []
        for a in project.getResourceAssignments():
            t, r = a.getTask(), a.getResource()
            out.append(
                {
                    "task_uid": self.num(t.getUniqueID()) if t is not None else None,
                    "resource_uid": self.num(r.getUniqueID()) if r is not None else None,
                    "units": self.num(a.getUnits()),
                    "work": self.dur(a.getWork()),
                    "start": self.dt(a.getStart()),
                    "finish": self.dt(a.getFinish()),
                }
            )
        return out

    # ---- one file --------------------------------------------------------------------------
    def check(self, path, roundtrip_dir=None, cpm=False, validate=False):
        schema_errors = None
        if validate and self.schema is not None:
            schema_errors = [str(e) for e in self.schema.validate(path)]
        project = self.reader_class().read(path)
        if project is None:
            raise RuntimeError("MPXJ did not recognise the file")
        props = project.getProjectProperties()
        result = {
            "file": path,
            "project": self.project(props),
            "tasks": self.tasks(project),
            "calendars": self.calendars(project, props),
            "resources": self.resources(project),
            "assignments": self.assignments(project),
        }
        if validate:
            result["schema_errors"] = schema_errors
        if roundtrip_dir:
            target = os.path.join(roundtrip_dir, os.path.basename(path))
            self.writer.write(project, target)
            result["roundtrip"] = target
        if cpm:
            from org.mpxj.cpm import MicrosoftScheduler

            try:
                MicrosoftScheduler().schedule(project, props.getStartDate())
                result["cpm"] = {
                    str(self.num(t.getUniqueID())): [self.dt(t.getStart()), self.dt(t.getFinish())]
                    for t in project.getTasks()
                    if int(t.getUniqueID()) != 0
                }
            except Exception as e:  # Java exceptions arrive as Python exceptions
                result["cpm_error"] = "%s: %s" % (type(e).__name__, str(e)[:300])
        return result


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("files", nargs="+")
    ap.add_argument("--roundtrip", metavar="DIR", help="write each project back as MSPDI into DIR")
    ap.add_argument("--cpm", action="store_true", help="also schedule with MPXJ's MicrosoftScheduler")
    ap.add_argument("--validate", action="store_true", help="validate against the MSPDI schema")
    ap.add_argument("--pretty", action="store_true", help="indented JSON")
    args = ap.parse_args(argv)

    checker = Checker(validate=args.validate)
    if args.roundtrip:
        os.makedirs(args.roundtrip, exist_ok=True)
    ok = True
    for path in args.files:
        try:
            result = checker.check(path, args.roundtrip, args.cpm, args.validate)
        except Exception as e:
            ok = False
            result = {"file": path, "error": "%s: %s" % (type(e).__name__, str(e)[:500])}
        indent = 1 if args.pretty else None
        sys.stdout.write(json.dumps(result, indent=indent, sort_keys=True, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
