package infra

import (
	"fmt"
	"regexp"
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

// schedules reads activeHours and the time zone it is in.
func (r *configReader) schedules(c *Config) {
	c.Timezone = r.str("timezone", "UTC")
	if _, err := time.LoadLocation(c.Timezone); err != nil || c.Timezone == "" || c.Timezone == "Local" {
		r.fail("timezone", c.Timezone, "must be an IANA time zone such as UTC, Europe/Paris or Asia/Tokyo")
	}
	if s := r.str("activeHours", ""); s != "" {
		a, err := ParseActiveHours(s)
		if err != nil {
			r.fail("activeHours", s, "must be DAYS HH:MM-HH:MM such as MON-FRI 08:00-20:00: "+err.Error())
		} else {
			c.ActiveHours = a
		}
	}
}
