package verify

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/ecr"
	ecrtypes "github.com/aws/aws-sdk-go-v2/service/ecr/types"
)

// ECRAPI is the part of the ECR client the scan check uses.
type ECRAPI interface {
	DescribeImageScanFindings(ctx context.Context, in *ecr.DescribeImageScanFindingsInput, opts ...func(*ecr.Options)) (*ecr.DescribeImageScanFindingsOutput, error)
}

// Finding is one scan finding, reduced to what the report shows.
type Finding struct {
	Severity string
	Name     string // CVE id or title
	Package  string // "name version" when ECR says
}

// ScanStatusNotFound is the status reported when ECR has no scan for the
// image (ScanNotFoundException).
const ScanStatusNotFound = "NOT_FOUND"

// ScanResult is the outcome of the ECR scan check.
type ScanResult struct {
	Repository  string
	ImageTag    string
	ImageDigest string
	Status      string // COMPLETE, IN_PROGRESS, FAILED, NOT_FOUND, ...
	Description string
	Counts      SeverityCounts
	Findings    []Finding // most severe first
	Threshold   Severity
	RequireScan bool
}

// Blocking counts the findings at or above the threshold.
func (r ScanResult) Blocking() int { return r.Counts.AtOrAbove(r.Threshold) }

// Failed reports whether the scan check fails the verification: findings at
// or above the threshold, or (with RequireScan) no completed scan.
func (r ScanResult) Failed() bool {
	if r.Blocking() > 0 {
		return true
	}
	return r.RequireScan && r.Status != string(ecrtypes.ScanStatusComplete)
}

// ScanOptions configures CheckScan.
type ScanOptions struct {
	Repository  string
	ImageTag    string
	ImageDigest string
	Threshold   Severity
	RequireScan bool
	// Wait bounds how long a scan that is IN_PROGRESS/PENDING is waited for.
	Wait     time.Duration
	Interval time.Duration
}

// CheckScan reads the image's scan findings, polling while the scan is in
// progress (at most opts.Wait). Progress lines go to progress. Only a failing
// API call (other than "no scan for this image") is returned as an error.
func CheckScan(ctx context.Context, api ECRAPI, opts ScanOptions, progress io.Writer) (ScanResult, error) {
	res := ScanResult{
		Repository:  opts.Repository,
		ImageTag:    opts.ImageTag,
		ImageDigest: opts.ImageDigest,
		Threshold:   opts.Threshold,
		RequireScan: opts.RequireScan,
		Counts:      SeverityCounts{},
	}
	id := &ecrtypes.ImageIdentifier{}
	if opts.ImageDigest != "" {
		id.ImageDigest = aws.String(opts.ImageDigest)
	} else {
		id.ImageTag = aws.String(opts.ImageTag)
	}
	interval := opts.Interval
	if interval <= 0 {
		interval = 5 * time.Second
	}
	deadline := time.Now().Add(opts.Wait)
	announced := false
	for {
		cctx, cancel := context.WithTimeout(ctx, callTimeout)
		out, err := api.DescribeImageScanFindings(cctx, &ecr.DescribeImageScanFindingsInput{
			RepositoryName: aws.String(opts.Repository),
			ImageId:        id,
			MaxResults:     aws.Int32(100),
		})
		cancel()
		var notFound *ecrtypes.ScanNotFoundException
		if errors.As(err, &notFound) {
			res.Status = ScanStatusNotFound
			res.Description = "ECR has no scan for this image (is scan-on-push enabled?)"
			return res, nil
		}
		if err != nil {
			return res, fmt.Errorf("ecr DescribeImageScanFindings %s: %w", imageRef(opts.Repository, opts.ImageTag, opts.ImageDigest), err)
		}
		if out.ImageScanStatus != nil {
			res.Status = string(out.ImageScanStatus.Status)
			res.Description = aws.ToString(out.ImageScanStatus.Description)
		}
		if out.ImageId != nil {
			if res.ImageDigest == "" {
				res.ImageDigest = aws.ToString(out.ImageId.ImageDigest)
			}
			if res.ImageTag == "" {
				res.ImageTag = aws.ToString(out.ImageId.ImageTag)
			}
		}
		pending := res.Status == string(ecrtypes.ScanStatusInProgress) || res.Status == string(ecrtypes.ScanStatusPending)
		if !pending {
			if out.ImageScanFindings != nil {
				res.Counts = CountsFrom(out.ImageScanFindings.FindingSeverityCounts)
				res.Findings = findingsFrom(out.ImageScanFindings)
			}
			return res, nil
		}
		if !time.Now().Add(interval).Before(deadline) {
			res.Description = fmt.Sprintf("scan still %s after %s", res.Status, opts.Wait)
			return res, nil
		}
		if !announced {
			_, _ = fmt.Fprintf(progress, "scan: %s is %s, waiting up to %s\n", imageRef(opts.Repository, res.ImageTag, res.ImageDigest), res.Status, opts.Wait)
			announced = true
		}
		select {
		case <-ctx.Done():
			return res, ctx.Err()
		case <-time.After(interval):
		}
	}
}

func findingsFrom(f *ecrtypes.ImageScanFindings) []Finding {
	var out []Finding
	for _, x := range f.Findings {
		fd := Finding{Severity: strings.ToUpper(string(x.Severity)), Name: aws.ToString(x.Name)}
		var name, version string
		for _, a := range x.Attributes {
			switch aws.ToString(a.Key) {
			case "package_name":
				name = aws.ToString(a.Value)
			case "package_version":
				version = aws.ToString(a.Value)
			}
		}
		fd.Package = strings.TrimSpace(name + " " + version)
		out = append(out, fd)
	}
	for _, x := range f.EnhancedFindings {
		fd := Finding{Severity: strings.ToUpper(aws.ToString(x.Severity)), Name: aws.ToString(x.Title)}
		if d := x.PackageVulnerabilityDetails; d != nil {
			if id := aws.ToString(d.VulnerabilityId); id != "" {
				fd.Name = id
			}
			var pkgs []string
			for _, p := range d.VulnerablePackages {
				pkgs = append(pkgs, strings.TrimSpace(aws.ToString(p.Name)+" "+aws.ToString(p.Version)))
			}
			fd.Package = strings.Join(pkgs, ", ")
		}
		out = append(out, fd)
	}
	SortFindings(out)
	return out
}

// SortFindings orders findings most severe first, then by name.
func SortFindings(f []Finding) {
	sort.SliceStable(f, func(i, j int) bool {
		si, sj := SeverityOf(f[i].Severity), SeverityOf(f[j].Severity)
		if si != sj {
			return si > sj
		}
		return f[i].Name < f[j].Name
	})
}

func imageRef(repo, tag, digest string) string {
	s := repo
	if tag != "" {
		s += ":" + tag
	}
	if digest != "" {
		s += "@" + digest
	}
	return s
}

// WriteScanReport prints the scan result: status, counts by severity, the
// verdict against the threshold and up to maxFindings findings.
func WriteScanReport(w io.Writer, r ScanResult, maxFindings int) {
	p := func(format string, a ...any) { _, _ = fmt.Fprintf(w, format, a...) }
	p("Image scan %s: %s\n", imageRef(r.Repository, r.ImageTag, r.ImageDigest), r.Status)
	if r.Status != string(ecrtypes.ScanStatusComplete) {
		if r.Description != "" {
			p("  %s\n", r.Description)
		}
		if r.RequireScan {
			p("  FAIL: -require-scan is set and there is no completed scan\n")
		} else {
			p("  WARNING: findings unknown; not failing (use -require-scan to fail)\n")
		}
		return
	}
	p("  %s\n", r.Counts)
	switch {
	case r.Threshold == SeverityNone:
		p("  threshold none: findings never fail the check\n")
	case r.Blocking() > 0:
		p("  FAIL: %d finding(s) at or above %s\n", r.Blocking(), r.Threshold)
	default:
		p("  OK: no findings at or above %s\n", r.Threshold)
	}
	n := 0
	for _, f := range r.Findings {
		if n == maxFindings {
			p("  ... %d more\n", len(r.Findings)-n)
			break
		}
		line := fmt.Sprintf("  %-13s %s", f.Severity, f.Name)
		if f.Package != "" {
			line += " (" + f.Package + ")"
		}
		p("%s\n", line)
		n++
	}
}
