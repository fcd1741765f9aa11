module github.com/fargateship/fargateship/app

go 1.26
