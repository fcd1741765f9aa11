package imagetest

import (
	"debug/elf"
	"errors"
	"fmt"
)

// ELFMachine is the ELF machine of each linux platform the image is built for.
var ELFMachine = map[string]elf.Machine{
	"linux/amd64": elf.EM_X86_64,
	"linux/arm64": elf.EM_AARCH64,
}

// CheckELF opens path as an ELF executable and checks it is for platform
// and statically linked (no program interpreter, so it runs on an image
// without libc).
func CheckELF(path, platform string) error {
	want, ok := ELFMachine[platform]
	if !ok {
		return fmt.Errorf("no ELF machine known for %s", platform)
	}
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	if f.Machine != want {
		return fmt.Errorf("%s is %s, want %s (%s)", path, f.Machine, want, platform)
	}
	if err := staticOnly(f, path); err != nil {
		return err
	}
	if f.Type != elf.ET_EXEC {
		return fmt.Errorf("%s is %s, want a static %s", path, f.Type, elf.ET_EXEC)
	}
	return nil
}

func staticELF(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer func() { _ = f.Close() }()
	return staticOnly(f, path)
}

func staticOnly(f *elf.File, path string) error {
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP || p.Type == elf.PT_DYNAMIC {
			return errors.New(path + " is dynamically linked")
		}
	}
	return nil
}
