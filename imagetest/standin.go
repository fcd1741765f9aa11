package imagetest

import (
	"archive/tar"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"github.com/fargateship/fargateship/internal/local"
)

// Labels every stand-in base image carries, and so every image built on
// one inherits (labels pass from a base to the images built FROM it). A
// push step can refuse any image that has StandInLabel.
const (
	StandInLabel   = "io.fargateship.stand-in"
	DoNotPushLabel = "io.fargateship.do-not-push"
	standInKey     = "io.fargateship.stand-in.key"
	doNotPushText  = "local stand-in for a base image that could not be pulled; never push this image or one built on it"
)

// Base is a FROM image of the Dockerfile.
type Base struct {
	Ref string
	// Build is true for the build stage (FROM --platform=$BUILDPLATFORM):
	// it needs a shell and a Go toolchain. Otherwise it is the runtime base
	// the app's binary is copied onto.
	Build bool
}

// DockerfileBases returns the FROM images of a Dockerfile: exactly one
// build stage on $BUILDPLATFORM and, last, the runtime base. Any other
// shape is an error, because the stand-ins below only know these two.
func DockerfileBases(dockerfile string) (build, runtime Base, err error) {
	var froms [][]string
	sc := bufio.NewScanner(strings.NewReader(dockerfile))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) > 1 && strings.EqualFold(f[0], "FROM") {
			froms = append(froms, f[1:])
		}
	}
	if len(froms) != 2 {
		return build, runtime, fmt.Errorf("the Dockerfile has %d FROM lines; the image test knows a build stage and a runtime stage (2)", len(froms))
	}
	b := froms[0]
	if len(b) < 2 || b[0] != "--platform=$BUILDPLATFORM" {
		return build, runtime, fmt.Errorf("first FROM %q: want the build stage on --platform=$BUILDPLATFORM", strings.Join(b, " "))
	}
	r := froms[1]
	if len(r) != 1 {
		return build, runtime, fmt.Errorf("last FROM %q: want a single image reference", strings.Join(r, " "))
	}
	return Base{Ref: b[1], Build: true}, Base{Ref: r[0]}, nil
}

// Prepared says how a base image was made available.
type Prepared struct {
	Ref, Platform string
	// StandIn is true when the real image could not be pulled and a
	// labelled local stand-in now carries its reference.
	StandIn bool
	// How is one line for the test log.
	How string
}

// EnsureBase makes ref available for platform (linux/amd64, linux/arm64):
// the real image if the engine can pull it (on GitHub's runners), else a
// real copy already in the engine's store, else a labelled stand-in built
// here (on machines without a registry). The classic image store keeps one
// platform per tag, so callers prepare a platform right before building it.
func EnsureBase(ctx context.Context, e *local.Engine, b Base, platform string) (Prepared, error) {
	p := Prepared{Ref: b.Ref, Platform: platform}
	pctx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	_, pullErr := local.Docker(pctx, nil, "pull", "--platform", platform, b.Ref)
	cancel()
	arch := strings.TrimPrefix(platform, "linux/")
	if pullErr == nil {
		p.How = fmt.Sprintf("%s (%s): pulled the real image", b.Ref, platform)
		return p, nil
	}
	reason := firstLine(pullErr)
	if im, err := e.Image(ctx, b.Ref); err == nil && im.Config.Labels[StandInLabel] == "" && im.Architecture == arch {
		p.How = fmt.Sprintf("%s (%s): cannot pull (%s); using the real image already in the engine's store", b.Ref, platform, reason)
		return p, nil
	}
	p.StandIn = true
	made := "built"
	var err error
	if b.Build {
		var reused bool
		if reused, err = buildStandIn(ctx, e, b.Ref, platform); reused {
			made = "reused"
		}
	} else {
		err = runtimeStandIn(ctx, b.Ref, platform)
	}
	if err != nil {
		return p, fmt.Errorf("%s cannot be pulled (%s) and its stand-in failed: %w", b.Ref, reason, err)
	}
	p.How = fmt.Sprintf("%s (%s): STAND-IN: cannot pull (%s); %s a local stand-in labelled %s=true and %s", b.Ref, platform, reason, made, StandInLabel, DoNotPushLabel)
	return p, nil
}

func firstLine(err error) string {
	s := strings.TrimSpace(err.Error())
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(strings.ToLower(l), "error") {
			return strings.TrimSpace(l)
		}
	}
	l, _, _ := strings.Cut(s, "\n")
	return l
}

// importImage streams a tar built by write into `docker import` as ref for
// platform, with Dockerfile-style config changes and the stand-in labels.
func importImage(ctx context.Context, ref, platform, key string, changes []string, write func(*tar.Writer) error) error {
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := write(tw)
		if err == nil {
			err = tw.Close()
		}
		_ = pw.CloseWithError(err)
	}()
	args := []string{"import", "--platform", platform, "--message", "fargateship image test stand-in for " + ref}
	changes = append(changes,
		fmt.Sprintf("LABEL %s=%q %s=%q %s=%q", StandInLabel, "true", DoNotPushLabel, doNotPushText, standInKey, key))
	for _, c := range changes {
		args = append(args, "--change", c)
	}
	args = append(args, "-", ref)
	_, err := local.Docker(ctx, pr, args...)
	_ = pr.Close()
	return err
}

// buildStandIn makes the build stage's stand-in for golang:<v>-bookworm:
// the host's Go toolchain (whose version must be the tag's) at
// /usr/local/go and a static busybox as /bin/sh, with the official image's
// environment (GOPATH=/go, PATH, GOTOOLCHAIN=local). It is reused while the
// toolchain is the same (reused is then true).
func buildStandIn(ctx context.Context, e *local.Engine, ref, platform string) (reused bool, err error) {
	goroot, err := exec.Command("go", "env", "GOROOT").Output()
	if err != nil {
		return false, fmt.Errorf("go env GOROOT: %w", err)
	}
	root := strings.TrimSpace(string(goroot))
	ver, err := os.ReadFile(filepath.Join(root, "VERSION"))
	if err != nil {
		return false, err
	}
	goVersion, _, _ := strings.Cut(strings.TrimSpace(string(ver)), "\n") // go1.26.8
	// golang:1.26-bookworm → the host toolchain must be go1.26.x.
	tag := ref[strings.LastIndex(ref, ":")+1:]
	want, _, _ := strings.Cut(tag, "-")
	if goVersion != "go"+want && !strings.HasPrefix(goVersion, "go"+want+".") {
		return false, fmt.Errorf("the host's Go is %s, but %s is Go %s: a stand-in would build with the wrong toolchain", goVersion, ref, want)
	}
	busybox, err := exec.LookPath("busybox")
	if err != nil {
		return false, errors.New("no busybox on PATH for the stand-in's /bin/sh: apt-get install busybox-static")
	}
	if err := staticELF(busybox); err != nil {
		return false, fmt.Errorf("%s: %w (apt-get install busybox-static)", busybox, err)
	}
	key := goVersion + " " + root + " " + platform
	if im, err := e.Image(ctx, ref); err == nil && im.Config.Labels[standInKey] == key {
		return true, nil // the same toolchain is already there
	}
	changes := []string{
		"ENV PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
		"ENV GOLANG_VERSION=" + strings.TrimPrefix(goVersion, "go"),
		"ENV GOPATH=/go",
		"ENV GOTOOLCHAIN=local",
		"ENV HOME=/root",
		"WORKDIR /go",
	}
	return false, importImage(ctx, ref, platform, key, changes, func(tw *tar.Writer) error {
		for _, d := range []struct {
			name string
			mode int64
		}{{"bin", 0o755}, {"etc", 0o755}, {"go", 0o777}, {"root", 0o700}, {"tmp", 0o1777}, {"usr", 0o755}, {"usr/local", 0o755}} {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d.name + "/", Mode: d.mode}); err != nil {
				return err
			}
		}
		if err := writeFile(tw, "etc/passwd", 0o644, "root:x:0:0:root:/root:/bin/sh\n"); err != nil {
			return err
		}
		if err := copyFile(tw, busybox, "bin/busybox"); err != nil {
			return err
		}
		for _, applet := range []string{"sh", "env", "ls", "cat"} {
			if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: "bin/" + applet, Linkname: "busybox", Mode: 0o777}); err != nil {
				return err
			}
		}
		return copyTree(tw, root, "usr/local/go")
	})
}

// runtimeStandIn makes the stand-in for gcr.io/distroless/static-debian12:
// nonroot with what that image provides and the app relies on or may:
// /etc/passwd and /etc/group with root, nobody and nonroot (65532), the
// nonroot home, /tmp, and the host's CA bundle at the path distroless uses;
// USER 65532 and SSL_CERT_FILE as in distroless. No tzdata: the app loads no
// time zone. It holds no executable, so BuildKit builds it FROM scratch for
// any platform without emulation (`docker import` would record the
// engine's own platform whatever --platform says on a 20.10 engine).
func runtimeStandIn(ctx context.Context, ref, platform string) error {
	const caBundle = "/etc/ssl/certs/ca-certificates.crt"
	if _, err := os.Stat(caBundle); err != nil {
		return fmt.Errorf("the runtime stand-in copies the host's CA bundle: %w (apt-get install ca-certificates)", err)
	}
	dockerfile := fmt.Sprintf(`FROM scratch
COPY rootfs/ /
COPY --chown=65532:65532 home/ /home/nonroot/
USER 65532
WORKDIR /home/nonroot
ENV PATH=/usr/local/bin:/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin SSL_CERT_FILE=%s
LABEL %s=%q %s=%q %s=%q
`, caBundle, StandInLabel, "true", DoNotPushLabel, doNotPushText, standInKey, "distroless-static "+platform)
	pr, pw := io.Pipe()
	go func() {
		tw := tar.NewWriter(pw)
		err := func() error {
			if err := writeFile(tw, "Dockerfile", 0o644, dockerfile); err != nil {
				return err
			}
			for _, d := range []struct {
				name string
				mode int64
			}{
				{"home", 0o700}, {"rootfs", 0o755}, {"rootfs/etc", 0o755}, {"rootfs/etc/ssl", 0o755}, {"rootfs/etc/ssl/certs", 0o755},
				{"rootfs/home", 0o755}, {"rootfs/root", 0o700}, {"rootfs/tmp", 0o1777},
			} {
				if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: d.name + "/", Mode: d.mode}); err != nil {
					return err
				}
			}
			if err := writeFile(tw, "rootfs/etc/passwd", 0o644, StandInPasswd); err != nil {
				return err
			}
			if err := writeFile(tw, "rootfs/etc/group", 0o644, "root:x:0:\nnobody:x:65534:\nnonroot:x:65532:\n"); err != nil {
				return err
			}
			if err := copyFile(tw, caBundle, "rootfs"+caBundle); err != nil {
				return err
			}
			return tw.Close()
		}()
		_ = pw.CloseWithError(err)
	}()
	defer func() { _ = pr.Close() }()
	_, err := local.Docker(ctx, pr, "buildx", "build", "--builder", "default", "--platform", platform, "--provenance=false",
		"--progress", "plain", "--load", "--tag", ref, "-")
	return err
}

// StandInPasswd is the runtime stand-in's /etc/passwd: distroless's users.
const StandInPasswd = "root:x:0:0:root:/root:/sbin/nologin\nnobody:x:65534:65534:nobody:/nonexistent:/sbin/nologin\nnonroot:x:65532:65532:nonroot:/home/nonroot:/sbin/nologin\n"

func writeFile(tw *tar.Writer, name string, mode int64, content string) error {
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Size: int64(len(content))}); err != nil {
		return err
	}
	_, err := io.WriteString(tw, content)
	return err
}

func copyFile(tw *tar.Writer, src, name string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: int64(st.Mode().Perm()), Size: st.Size()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// copyTree adds the tree at src under prefix, as root-owned entries,
// keeping modes and symlinks.
func copyTree(tw *tar.Writer, src, prefix string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(filepath.Join(prefix, rel))
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: int64(info.Mode().Perm())})
		case info.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777})
		case info.Mode().IsRegular():
			return copyFile(tw, path, name)
		}
		return nil // sockets, devices: none in a GOROOT
	})
}
