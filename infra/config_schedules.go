package infra

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	// The zone database is compiled in, so a time zone is checked the same
	// way on every machine, with or without /usr/share/zoneinfo.
	_ "time/tzdata"
)

// ActiveHours is when the service runs: on Days (a cron day-of-week field,
// e.g. MON-FRI) from Start to End, in the stack's time zone.
type ActiveHours struct {
	Days       string
	Start, End Clock
}

// Clock is a time of day.
type Clock struct{ Hour, Minute int }

func (k Clock) String() string { return fmt.Sprintf("%02d:%02d", k.Hour, k.Minute) }

// Cron is the Application Auto Scaling schedule that fires at t on the
// active days: cron(minutes hours day-of-month month day-of-week year).
func (a *ActiveHours) Cron(t Clock) string {
	return fmt.Sprintf("cron(%d %d ? * %s *)", t.Minute, t.Hour, a.Days)
}

var (
	dayNames     = []string{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"}
	dayTermRE    = regexp.MustCompile(`^(SUN|MON|TUE|WED|THU|FRI|SAT)(-(SUN|MON|TUE|WED|THU|FRI|SAT))?$`)
	clockRangeRE = regexp.MustCompile(`^([01][0-9]|2[0-3]):([0-5][0-9])-([01][0-9]|2[0-3]):([0-5][0-9])$`)
)

// ParseActiveHours parses "DAYS HH:MM-HH:MM": DAYS is * (every day) or a
// comma list of days and day ranges (MON-FRI, SAT,SUN, MON-WED,FRI), and
// the start is before the end on the same day.
func ParseActiveHours(s string) (*ActiveHours, error) {
	f := strings.Fields(s)
	if len(f) != 2 {
		return nil, fmt.Errorf("expected two fields, days and hours")
	}
	days := f[0]
	if days != "*" {
		for _, term := range strings.Split(days, ",") {
			m := dayTermRE.FindStringSubmatch(term)
			if m == nil {
				return nil, fmt.Errorf("days %q: use * or SUN, MON, TUE, WED, THU, FRI, SAT, ranges such as MON-FRI, separated by commas", days)
			}
			if m[3] != "" && dayIndex(m[3]) <= dayIndex(m[1]) {
				return nil, fmt.Errorf("days %q: range %s must run forward from SUN to SAT", days, term)
			}
		}
	}
	m := clockRangeRE.FindStringSubmatch(f[1])
	if m == nil {
		return nil, fmt.Errorf("hours %q: must be HH:MM-HH:MM in 24-hour time", f[1])
	}
	num := func(s string) int { n, _ := strconv.Atoi(s); return n }
	a := &ActiveHours{Days: days, Start: Clock{num(m[1]), num(m[2])}, End: Clock{num(m[3]), num(m[4])}}
	if a.End.Hour*60+a.End.Minute <= a.Start.Hour*60+a.Start.Minute {
		return nil, fmt.Errorf("hours %q: the start must be before the end on the same day", f[1])
	}
	return a, nil
}

func dayIndex(d string) int {
	for i, n := range dayNames {
		if n == d {
			return i
		}
	}
	return -1
}

// Schedule is a scheduled one-off task: the current task definition
// revision run with Command, on Expression, in Timezone.
type Schedule struct {
	Expression string   `json:"schedule"`
	Command    []string `json:"command"`
	Timezone   string   `json:"timezone,omitempty"`
}

var (
	// EventBridge Scheduler schedule names: 1-64 of [0-9a-zA-Z-_.]
	// (Scheduler API reference, CreateSchedule Name).
	scheduleNameRE = regexp.MustCompile(`^[0-9a-zA-Z._-]{1,64}$`)
	// rate(value unit), value a positive integer, unit singular for 1.
	rateRE = regexp.MustCompile(`^rate\(([1-9][0-9]*) (minute|minutes|hour|hours|day|days)\)$`)
	// cron(minutes hours day-of-month month day-of-week year).
	cronRE      = regexp.MustCompile(`^cron\((.*)\)$`)
	cronFieldRE = regexp.MustCompile(`^[0-9A-Z*?,/#L-]+$`)
)

// checkScheduleExpression checks an EventBridge Scheduler rate or cron
// expression (Scheduler user guide, "Schedule types": rate-based and
// cron-based schedules; one-time at() schedules are not recurring jobs).
func checkScheduleExpression(e string) error {
	if m := rateRE.FindStringSubmatch(e); m != nil {
		if (m[1] == "1") != !strings.HasSuffix(m[2], "s") {
			return fmt.Errorf("use the singular unit for 1 and the plural otherwise, e.g. rate(1 hour), rate(5 minutes)")
		}
		return nil
	}
	m := cronRE.FindStringSubmatch(e)
	if m == nil {
		return fmt.Errorf("must be cron(minutes hours day-of-month month day-of-week year) or rate(N minutes|hours|days)")
	}
	f := strings.Fields(m[1])
	if len(f) != 6 {
		return fmt.Errorf("a cron expression has 6 fields (minutes hours day-of-month month day-of-week year), got %d", len(f))
	}
	for _, field := range f {
		if !cronFieldRE.MatchString(field) {
			return fmt.Errorf("cron field %q: use digits, JAN-DEC, SUN-SAT and * ? , - / L W #", field)
		}
	}
	if (f[2] == "?") == (f[4] == "?") {
		return fmt.Errorf("exactly one of day-of-month and day-of-week must be ?")
	}
	return nil
}

func validTimezone(tz string) bool {
	_, err := time.LoadLocation(tz)
	return err == nil && tz != "" && tz != "Local"
}

// schedules reads activeHours, the stack's time zone, and the scheduled
// one-off tasks.
func (r *configReader) schedules(c *Config) {
	c.Timezone = r.str("timezone", "UTC")
	if !validTimezone(c.Timezone) {
		r.fail("timezone", c.Timezone, "must be an IANA time zone such as UTC, Europe/Paris or Asia/Tokyo")
	}
	c.Schedules = map[string]Schedule{}
	r.readSchedules(c)
	if s := r.str("activeHours", ""); s != "" {
		a, err := ParseActiveHours(s)
		if err != nil {
			r.fail("activeHours", s, "must be DAYS HH:MM-HH:MM such as MON-FRI 08:00-20:00: "+err.Error())
		} else {
			c.ActiveHours = a
		}
	}
}

// readSchedules reads the schedules key into c.Schedules; a job's zone
// defaults to c.Timezone.
func (r *configReader) readSchedules(c *Config) {
	if s, ok := r.raw("schedules"); ok && strings.TrimSpace(s) != "" {
		var raw map[string]json.RawMessage
		if err := json.Unmarshal([]byte(s), &raw); err != nil {
			r.fail("schedules", s, `must be an object of NAME: {schedule: "cron(...)" or "rate(...)", command: [...], timezone: "Area/City"}`)
		}
		for _, name := range sortedKeys(raw) {
			var sc Schedule
			dec := json.NewDecoder(bytes.NewReader(raw[name]))
			dec.DisallowUnknownFields()
			at := "schedules." + name
			if err := dec.Decode(&sc); err != nil {
				r.fail(at, string(raw[name]), "must be {schedule, command, timezone} (timezone optional): "+err.Error())
				continue
			}
			if !scheduleNameRE.MatchString(name) {
				r.fail(at, name, "schedule names are 1-64 characters of a-z, A-Z, 0-9, . _ -")
			}
			if err := checkScheduleExpression(sc.Expression); err != nil {
				r.fail(at+".schedule", sc.Expression, err.Error())
			}
			if len(sc.Command) == 0 || slices.Contains(sc.Command, "") {
				r.fail(at+".command", fmt.Sprint(sc.Command), "must be a non-empty list of non-empty strings, e.g. [\"/server\", \"once\"]")
			} else if n := len(ContainerOverrides(sc.Command)); n > MaxScheduleInput {
				r.fail(at+".command", fmt.Sprintf("%d characters as RunTask overrides", n),
					fmt.Sprintf("must fit a schedule's input: at most %d characters as RunTask overrides JSON", MaxScheduleInput))
			}
			if sc.Timezone == "" {
				sc.Timezone = c.Timezone
			} else if !validTimezone(sc.Timezone) {
				r.fail(at+".timezone", sc.Timezone, "must be an IANA time zone such as UTC, Europe/Paris or Asia/Tokyo")
			}
			c.Schedules[name] = sc
		}
	}
}
