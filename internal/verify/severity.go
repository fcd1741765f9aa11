package verify

import (
	"fmt"
	"sort"
	"strings"
)

// Severity is an ECR finding severity, ranked so that a larger value is more
// severe. Unranked severities (UNDEFINED, UNTRIAGED, anything new) are
// reported but never reach a threshold.
type Severity int

// The ranked severities, least to most severe.
const (
	SeverityUnranked Severity = iota
	SeverityInformational
	SeverityLow
	SeverityMedium
	SeverityHigh
	SeverityCritical
	// SeverityNone as a threshold means: never fail on findings.
	SeverityNone Severity = 100
)

// RankedSeverities lists the severities in report order, most severe first.
var RankedSeverities = []string{"CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"}

// SeverityOf ranks an ECR severity name (case-insensitive).
func SeverityOf(name string) Severity {
	switch strings.ToUpper(strings.TrimSpace(name)) {
	case "CRITICAL":
		return SeverityCritical
	case "HIGH":
		return SeverityHigh
	case "MEDIUM":
		return SeverityMedium
	case "LOW":
		return SeverityLow
	case "INFORMATIONAL":
		return SeverityInformational
	}
	return SeverityUnranked
}

// ParseThreshold parses the -fail-on-severity flag: critical, high, medium,
// low, informational or none.
func ParseThreshold(s string) (Severity, error) {
	if strings.EqualFold(strings.TrimSpace(s), "none") {
		return SeverityNone, nil
	}
	sev := SeverityOf(s)
	if sev == SeverityUnranked {
		return 0, fmt.Errorf("-fail-on-severity must be one of critical, high, medium, low, informational, none (got %q)", s)
	}
	return sev, nil
}

func (s Severity) String() string {
	switch s {
	case SeverityCritical:
		return "CRITICAL"
	case SeverityHigh:
		return "HIGH"
	case SeverityMedium:
		return "MEDIUM"
	case SeverityLow:
		return "LOW"
	case SeverityInformational:
		return "INFORMATIONAL"
	case SeverityNone:
		return "none"
	}
	return "UNRANKED"
}

// SeverityCounts maps an upper-case severity name to its number of findings.
type SeverityCounts map[string]int

// CountsFrom normalizes ECR's findingSeverityCounts (upper-cases the keys,
// drops zero counts).
func CountsFrom(m map[string]int32) SeverityCounts {
	c := SeverityCounts{}
	for k, v := range m {
		if v > 0 {
			c[strings.ToUpper(k)] += int(v)
		}
	}
	return c
}

// AtOrAbove counts the findings whose severity ranks at or above threshold.
// With threshold SeverityNone it is always 0.
func (c SeverityCounts) AtOrAbove(threshold Severity) int {
	if threshold == SeverityNone {
		return 0
	}
	n := 0
	for k, v := range c {
		if s := SeverityOf(k); s != SeverityUnranked && s >= threshold {
			n += v
		}
	}
	return n
}

// Total counts every finding.
func (c SeverityCounts) Total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// String renders "CRITICAL 0  HIGH 1  MEDIUM 0  LOW 0  INFORMATIONAL 0",
// followed by any unranked severities (UNDEFINED 2) that are present.
func (c SeverityCounts) String() string {
	parts := make([]string, 0, len(RankedSeverities)+len(c))
	for _, k := range RankedSeverities {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	var extra []string
	for k := range c {
		if SeverityOf(k) == SeverityUnranked {
			extra = append(extra, k)
		}
	}
	sort.Strings(extra)
	for _, k := range extra {
		parts = append(parts, fmt.Sprintf("%s %d", k, c[k]))
	}
	return strings.Join(parts, "  ")
}
