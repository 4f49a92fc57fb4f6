// Command gantry-trivy-db builds a small Trivy vulnerability database (schema 2, the one Trivy v0.74 reads) from the
// GitHub advisories in advisories/ and pushes it as the OCI artifact Trivy downloads (--db-repository), e.g.
//
//	gantry-trivy-db 127.0.0.1:5000/aquasecurity/trivy-db:2
//
// The advisories go through trivy-db's own OSV importer and optimiser, as in Trivy's published database, so their
// version ranges and severities are stored exactly as there. Test infrastructure only: the real database is built
// by aquasecurity/trivy-db from the full advisory feeds.
package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/static"
	ggcrtypes "github.com/google/go-containerregistry/pkg/v1/types"
	bolt "go.etcd.io/bbolt"

	"github.com/aquasecurity/trivy-db/pkg/db"
	"github.com/aquasecurity/trivy-db/pkg/ecosystem"
	"github.com/aquasecurity/trivy-db/pkg/metadata"
	"github.com/aquasecurity/trivy-db/pkg/types"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/osv"
	"github.com/aquasecurity/trivy-db/pkg/vulnsrc/vulnerability"
)

// What Trivy's database artifact looks like (ghcr.io/aquasecurity/trivy-db:2, pushed there with oras).
const (
	configMediaType = "application/vnd.aquasec.trivy.config.v1+json"
	layerMediaType  = "application/vnd.aquasec.trivy.db.layer.v1.tar+gzip"
	titleAnnotation = "org.opencontainers.image.title"
	layerFileName   = "db.tar.gz"
)

// Fixed times, so the same advisories give the same database. NextUpdate far ahead: Trivy never finds it stale.
var (
	updatedAt  = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	nextUpdate = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
)

// GitHub-reviewed advisories in OSV form, copied from github.com/github/advisory-database (CC-BY-4.0), references
// shortened.
//
//go:embed advisories/*.json
var advisories embed.FS

func main() {
	out := flag.String("o", "", "also write the artifact's layer (db.tar.gz) to this file")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: %s [-o db.tar.gz] [REGISTRY/REPOSITORY:TAG]\n", os.Args[0])
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() > 1 || (flag.NArg() == 0 && *out == "") {
		flag.Usage()
		os.Exit(2)
	}
	layer, err := buildLayer()
	if err != nil {
		log.Fatal(err)
	}
	if *out != "" {
		if err := os.WriteFile(*out, layer, 0o644); err != nil {
			log.Fatal(err)
		}
	}
	if flag.NArg() == 1 {
		digest, err := push(flag.Arg(0), layer)
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s@%s\n", flag.Arg(0), digest)
	}
}

// buildLayer builds trivy.db + metadata.json in a temporary directory and returns them as a .tar.gz.
func buildLayer() ([]byte, error) {
	work, err := os.MkdirTemp("", "gantry-trivy-db-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(work)

	// trivy-db's importers read a directory tree: put the advisories where its GHSA source reads them.
	src := filepath.Join(work, "src")
	ghsaDir := filepath.Join("ghsa", "advisories", "github-reviewed")
	files, err := fs.Glob(advisories, "advisories/*.json")
	if err != nil || len(files) == 0 {
		return nil, fmt.Errorf("no advisories embedded: %v", err)
	}
	if err := os.MkdirAll(filepath.Join(src, ghsaDir), 0o755); err != nil {
		return nil, err
	}
	for _, file := range files {
		data, err := advisories.ReadFile(file)
		if err != nil {
			return nil, err
		}
		if err := os.WriteFile(filepath.Join(src, ghsaDir, filepath.Base(file)), data, 0o644); err != nil {
			return nil, err
		}
	}

	dbDir := filepath.Join(work, "db")
	if err := db.Init(dbDir); err != nil {
		return nil, fmt.Errorf("init db: %w", err)
	}
	closed := false
	defer func() {
		if !closed {
			_ = db.Close()
		}
	}()
	// The GHSA source's data source for npm (trivy-db pkg/vulnsrc/ghsa), without its other ecosystems.
	npm := types.DataSource{
		ID:   vulnerability.GHSA,
		Name: "GitHub Security Advisory npm",
		URL:  "https://github.com/advisories?query=type%3Areviewed+ecosystem%3Anpm",
	}
	source := osv.New(ghsaDir, vulnerability.GHSA, map[ecosystem.Type]types.DataSource{ecosystem.Npm: npm},
		osv.WithTransformer(ghsaSeverity{}))
	if err := source.Update(src); err != nil {
		return nil, fmt.Errorf("import advisories: %w", err)
	}
	if err := optimize(); err != nil {
		return nil, err
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	closed = true
	meta := metadata.Metadata{Version: db.SchemaVersion, NextUpdate: nextUpdate, UpdatedAt: updatedAt}
	if err := metadata.NewClient(dbDir).Update(meta); err != nil {
		return nil, err
	}
	return tarGz(dbDir, "trivy.db", "metadata.json")
}

// ghsaSeverity takes the severity from GitHub's review (database_specific.severity), as trivy-db's GHSA source does.
type ghsaSeverity struct{}

func (ghsaSeverity) PostParseAffected(adv osv.Advisory, _ osv.Affected) (osv.Advisory, error) {
	return adv, nil
}

func (ghsaSeverity) TransformAdvisories(advs []osv.Advisory, entry osv.Entry) ([]osv.Advisory, error) {
	var specific struct {
		Severity string `json:"severity"`
	}
	if err := json.Unmarshal(entry.DatabaseSpecific, &specific); err != nil {
		return nil, fmt.Errorf("%s: database_specific: %w", entry.ID, err)
	}
	severity, ok := map[string]types.Severity{
		"LOW": types.SeverityLow, "MODERATE": types.SeverityMedium,
		"HIGH": types.SeverityHigh, "CRITICAL": types.SeverityCritical,
	}[specific.Severity]
	if !ok {
		return nil, fmt.Errorf("%s: unknown severity %q", entry.ID, specific.Severity)
	}
	for i := range advs {
		advs[i].Severity = severity
	}
	return advs, nil
}

// optimize turns the importer's detail buckets into the buckets Trivy reads, as trivy-db's vulndb.Build does.
func optimize() error {
	dbc := db.Config{}
	vulns := vulnerability.New(dbc)
	err := dbc.ForEachVulnerabilityID(func(tx *bolt.Tx, id string) error {
		if err := dbc.SaveAdvisoryDetails(tx, id); err != nil {
			return err
		}
		details := vulns.GetDetails(id)
		if len(details) == 0 {
			return nil
		}
		return dbc.PutVulnerability(tx, id, vulns.Normalize(id, details))
	})
	if err != nil {
		return fmt.Errorf("optimize: %w", err)
	}
	return errors.Join(dbc.DeleteVulnerabilityIDBucket(), dbc.DeleteVulnerabilityDetailBucket(),
		dbc.DeleteAdvisoryDetailBucket())
}

func tarGz(dir string, names ...string) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	tw := tar.NewWriter(zw)
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		header := &tar.Header{Name: name, Mode: 0o644, Size: int64(len(data)), ModTime: updatedAt, Format: tar.FormatPAX}
		if err := tw.WriteHeader(header); err != nil {
			return nil, err
		}
		if _, err := tw.Write(data); err != nil {
			return nil, err
		}
	}
	if err := errors.Join(tw.Close(), zw.Close()); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// push uploads the layer and an empty config, then an OCI manifest like the one Trivy's own artifact has.
func push(reference string, layerBytes []byte) (v1.Hash, error) {
	ref, err := name.ParseReference(reference)
	if err != nil {
		return v1.Hash{}, err
	}
	layer := static.NewLayer(layerBytes, layerMediaType)
	config := static.NewLayer([]byte("{}"), configMediaType)
	for _, blob := range []v1.Layer{config, layer} {
		if err := remote.WriteLayer(ref.Context(), blob); err != nil {
			return v1.Hash{}, fmt.Errorf("push blob: %w", err)
		}
	}
	describe := func(l v1.Layer, annotations map[string]string) (v1.Descriptor, error) {
		digest, err := l.Digest()
		if err != nil {
			return v1.Descriptor{}, err
		}
		size, err := l.Size()
		if err != nil {
			return v1.Descriptor{}, err
		}
		mediaType, err := l.MediaType()
		return v1.Descriptor{MediaType: mediaType, Digest: digest, Size: size, Annotations: annotations}, err
	}
	configDesc, err := describe(config, nil)
	if err != nil {
		return v1.Hash{}, err
	}
	layerDesc, err := describe(layer, map[string]string{titleAnnotation: layerFileName})
	if err != nil {
		return v1.Hash{}, err
	}
	manifest, err := json.Marshal(v1.Manifest{
		SchemaVersion: 2,
		MediaType:     ggcrtypes.OCIManifestSchema1,
		Config:        configDesc,
		Layers:        []v1.Descriptor{layerDesc},
		Annotations:   map[string]string{"org.opencontainers.image.created": updatedAt.Format(time.RFC3339)},
	})
	if err != nil {
		return v1.Hash{}, err
	}
	if err := remote.Put(ref, rawManifest(manifest)); err != nil {
		return v1.Hash{}, fmt.Errorf("push manifest: %w", err)
	}
	digest, _, err := v1.SHA256(bytes.NewReader(manifest))
	return digest, err
}

type rawManifest []byte

func (m rawManifest) RawManifest() ([]byte, error) { return m, nil }
func (m rawManifest) MediaType() (ggcrtypes.MediaType, error) {
	return ggcrtypes.OCIManifestSchema1, nil
}
