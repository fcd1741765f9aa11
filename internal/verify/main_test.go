package verify

import (
	"os"
	"testing"

	"github.com/fargateship/fargateship/internal/verify/mototest"
)

func TestMain(m *testing.M) { os.Exit(mototest.Main(m)) }
