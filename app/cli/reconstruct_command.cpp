#include "command_runner.h"
#include "commands.h"
#include "diagnostic_writer.h"
#include "mass_options.h"
#include "progress_bar.h"

#include "common/atomic_file.h"
#include "common/data_paths.h"
#include "common/error.h"
#include "fit/regularization.h"
#include "inference/diagnostics.h"
#include "inference/observation_file.h"
#include "inference/outputs.h"
#include "inference/reconstructor.h"
#include "inference/run.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

namespace astrorim::cli {

namespace {

namespace fs = std::filesystem;

/// The observation options the command line gives.
inference::ObservationFileOptions observationOptions(const ArgumentParser &parser,
                                                     const std::optional<analysis::LensCatalog> &catalog)
{
    inference::ObservationFileOptions options;
    options.hdu = parser.value("hdu");
    if (parser.isSet("pixel-scale"))
        options.pixelScale = parser.number("pixel-scale", 1e-4, 100);
    if (parser.isSet("noise"))
        options.noiseFile = parser.value("noise");
    if (parser.isSet("mask"))
        options.maskFile = parser.value("mask");
    if (parser.isSet("psf"))
        options.psfFile = parser.value("psf");
    else if (parser.isSet("psf-fwhm"))
        options.psfFwhm = parser.number("psf-fwhm", 1e-4, 100);
    options.catalog = catalog ? &*catalog : nullptr;
    return options;
}

std::vector<fs::path> inputFiles(const ArgumentParser &parser)
{
    std::vector<fs::path> files;
    for (const auto &p : parser.positional())
        files.emplace_back(p);
    if (parser.isSet("input-dir")) {
        const fs::path dir = parser.value("input-dir");
        std::error_code ec;
        for (const auto &entry : fs::directory_iterator(dir, ec)) {
            const auto name = entry.path().filename().string();
            if (entry.is_regular_file() && (name.ends_with(".fits") || name.ends_with(".fits.gz") ||
                                            name.ends_with(".fits.fz") || name.ends_with(".fit")))
                files.push_back(entry.path());
        }
        if (ec)
            fail(dir.string(), "cannot be listed: " + ec.message());
        std::sort(files.end() - static_cast<long>(files.size() - parser.positional().size()), files.end());
    }
    if (files.empty())
        throw UsageError{"no input: give FITS files or --input-dir DIR"};
    return files;
}

struct SummaryRow
{
    std::string input, name, status, message;
    double reducedChi2 = NAN, rmsResidual = NAN, thetaE = NAN;
    std::string flags;
};

SummaryRow failedRow(const std::string &input, const std::string &name, const std::string &message)
{
    SummaryRow row;
    row.input = input;
    row.name = name;
    row.status = "failed";
    row.message = message;
    return row;
}

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\n") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (const char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

/// Stops before any work when an output would replace something the run
/// reads: an earlier run's outputs given again through --input-dir, say.
void checkOutputsSpareInputs(const std::vector<fs::path> &files, const fs::path &out, InputFiles inputs)
{
    for (const auto &file : files)
        inputs.add(file);
    inputs.checkOutput(out / "summary.csv");
    for (const auto &file : files) {
        const auto name = inference::observationName(file);
        for (const auto *suffix : inference::kOutputSuffixes)
            inputs.checkOutput(out / (name + suffix));
        inputs.checkOutput(out / (name + "_diagnostic.png"));
    }
}

} // namespace

int runReconstruct(const std::vector<std::string> &args)
{
    ArgumentParser parser(
        "reconstruct",
        "Reconstructs the unlensed source and the lens of each input FITS image. For each input NAME,\n"
        "OUT receives NAME_source.fits and NAME_source_sigma.fits (the source and its 1-sigma on the\n"
        "source-plane grid, with a WCS of the unlensed sky positions), NAME_forward.fits, NAME_residual.fits,\n"
        "NAME_chi2.fits and\n"
        "NAME_parameters.json (lenstronomy kwargs, uncertainties, fit quality and flags),\n"
        "NAME_diagnostic.png (the six-panel mass diagnostics), plus summary.csv. An input that fails is reported in the summary and the others go on; the exit\n"
        "code is 0 only when all succeed.");
    parser.setPositional("INPUT", "FITS images of lenses", 0, 100000);
    parser.addOption("input-dir", "DIR", "reconstruct every FITS file in DIR as well");
    parser.addOption("output-dir", "OUT", "folder for the outputs", "reconstructions");
    parser.addOption("model", "FILE", "model weights", defaultModelPath().string());
    parser.addOption("mode", "fit|inversion|rim",
                     "fit: the estimator's first guess, a source-plane grid, the regularized inversion and the lens "
                     "optimized (default); inversion: the same without optimizing the lens (faster); rim: the model's "
                     "RIM on the image grid (legacy, trained before the fit existed)",
                     "fit");
    parser.addOption("source-grid", "PIXELS", "source-plane grid pixels per side (fit, inversion)", "64");
    parser.addOption("regularization", "gradient|curvature", "source regularization (fit, inversion)", "curvature");
    parser.addOption("starts", "K", "lens-optimizer starts: the first guess and K-1 perturbed ones (fit)", "3");
    parser.addOption("sersic-iterations", "M",
                     "L-BFGS steps of the Sérsic-source fits: one whose lens starts one more search, and the "
                     "veto of basins a Sérsic source fits much worse (fit; 0: neither)",
                     std::to_string(fit::FitOptions{}.parametricIterations));
    parser.addOption("iterations", "N", "RIM iterations (rim; 0: as the model was trained, from its metadata)", "0");
    parser.addOption("refine", "ROUNDS", "MAP-refine the lens in this many rounds (rim; 0: off)", "0");
    parser.addOption("device", "cpu|cuda|auto", "where to run", "auto");
    parser.addOption("batch-size", "B", "observations run through the networks together", "8");
    parser.addOption("hdu", "INDEX|EXTNAME|BAND",
                     "image HDU to read; a band (VIS) picks VIS_FLUX, VIS_BGSUB or VIS_SCI (default: the primary, else "
                     "the first SCI/*FLUX/*BGSUB, else the first image)",
                     "");
    parser.addOption("pixel-scale", "ARCSEC", "pixel scale when the file states none");
    parser.addOption("noise", "FILE", "1-sigma noise map (default: the file's <BAND>_RMS, NOISE, ERR or RMS extension, "
                                      "else the measured background rms)");
    parser.addOption("mask", "FILE", "mask of the image's shape; non-zero pixels (neighbours, artefacts) are left out "
                                     "of the fit");
    parser.addOption("psf", "FILE", "PSF image (its PIXSCALE, else the image's pixel scale)");
    parser.addOption("psf-fwhm", "ARCSEC", "Gaussian PSF of this FWHM");
    parser.addOption("sky", "auto|edge-median|sigma-clipped|none",
                     "sky level to subtract: auto (none when the image is sky-subtracted already, i.e. at least 5 % "
                     "of its border strip lies below zero; else the border median), the median of the border strip, "
                     "the 3-sigma-clipped median of the image, or none",
                     "auto");
    parser.addOption("centre", "image-centre|centroid|peak",
                     "the lens centre: the image's middle, the light centroid, or the brightest peak", "image-centre");
    parser.addOption("normalization", "robust|minmax|percentile",
                     "the data scale recorded in the JSON's provenance (nothing is divided by it: the networks "
                     "normalize their input themselves, the fit works in the image's units)",
                     "robust");
    parser.addOption("threads", "T", "CPU threads (0: all)", "0");
    parser.addFlag("no-diagnostics", "do not draw NAME_diagnostic.png");
    addMassOptions(parser);

    return runCommand(parser, args, [&] {
        configureThreads(static_cast<int>(parser.integer("threads", 0, 1024)));
        const auto files = inputFiles(parser);
        const fs::path out = parser.value("output-dir");
        inference::ReconstructionOptions options;
        options.iterations = static_cast<int>(parser.integer("iterations", 0, 100));
        options.refineRounds = static_cast<int>(parser.integer("refine", 0, 100));
        options.fit.grid.size = static_cast<int>(parser.integer("source-grid", 8, 256));
        options.fit.starts = static_cast<int>(parser.integer("starts", 1, 20));
        options.fit.parametricIterations = static_cast<int>(parser.integer("sersic-iterations", 0, 1000));
        try {
            options.mode = inference::parseFitMode(parser.value("mode"));
            options.fit.regularization = fit::parseRegularization(parser.value("regularization"));
            options.preprocess.sky = preprocess::parseSkyMethod(parser.value("sky"));
            options.preprocess.centre = preprocess::parseCentreMethod(parser.value("centre"));
            options.preprocess.normalization = preprocess::parseNormalization(parser.value("normalization"));
        } catch (const Error &e) {
            throw UsageError{e.what()};
        }
        if (options.mode != inference::FitMode::Rim && options.refineRounds > 0)
            throw UsageError{"--refine belongs to --mode rim; the fit optimizes the lens itself"};
        if (options.preprocess.centre == preprocess::CentreMethod::Manual)
            throw UsageError{"--centre manual is for the GUI; use image-centre, centroid or peak"};
        const auto batchSize = static_cast<int>(parser.integer("batch-size", 1, 4096));
        const auto device = parseDevice(parser.value("device"));
        const auto cosmology = chosenCosmology(parser);
        const auto catalog = readCatalog(parser);
        const auto readOptions = observationOptions(parser, catalog);
        checkOutputsSpareInputs(files, out,
                                InputFiles({readOptions.noiseFile, readOptions.psfFile, readOptions.maskFile,
                                            parser.value("model"), parser.isSet("metadata") ? parser.value("metadata")
                                                                                            : std::string()}));
        inference::Reconstructor reconstructor(parser.value("model"), device);
        const bool drawDiagnostics = !parser.isSet("no-diagnostics") && DiagnosticWriter::available();
        if (!parser.isSet("no-diagnostics") && !drawDiagnostics)
            std::cerr << "astrorim-cli: this build has no Qt widgets; NAME_diagnostic.png is not drawn\n";
        std::optional<DiagnosticWriter> diagnosticWriter;
        if (drawDiagnostics)
            diagnosticWriter.emplace();

        CancelToken interrupt;
        const InterruptGuard guard(interrupt);
        ProgressBar progress("reconstruct", static_cast<std::int64_t>(files.size()), std::cerr);
        std::vector<SummaryRow> summary;
        std::int64_t done = 0;
        const auto record = [&](SummaryRow row) {
            summary.push_back(std::move(row));
            progress.update(++done);
        };
        const auto finish = [&](const fs::path &input, const inference::ObservationFile &file,
                                inference::ReconstructionResult result) {
            std::optional<inference::MassRequest> mass;
            if (const auto meta = lensMetadata(parser, catalog, result.name))
                mass = inference::MassRequest{meta->z_lens, meta->z_source, cosmology};
            const auto run = inference::completeRun(
                std::move(result), inference::makeProvenance(input, file, readOptions, reconstructor, options), mass);
            const auto &r = run.result;
            inference::writeOutputs(r, run.provenance, out);
            SummaryRow row{input.string(), r.name, "ok", "", r.reducedChi2, r.rmsResidual,
                           r.lens.lens.sie.theta_E.item<double>(), ""};
            if (diagnosticWriter) {
                try {
                    diagnosticWriter->write(inference::makeDiagnostics(r, run.parameters),
                                            out / (r.name + "_diagnostic.png"));
                } catch (const Error &e) {
                    row.status = "failed";
                    row.message = std::string("diagnostic figure: ") + e.what();
                }
            }
            for (const auto &f : inference::qualityFlags(r))
                if (f.raised)
                    row.flags += (row.flags.empty() ? "" : " ") + f.name;
            for (const auto &w : r.warnings)
                row.message += (row.message.empty() ? "" : "; ") + w;
            record(row);
        };

        for (size_t first = 0; first < files.size() && !interrupt.cancelled(); first += static_cast<size_t>(batchSize)) {
            std::vector<inference::Observation> batch;
            std::vector<fs::path> batchFiles;
            std::vector<inference::ObservationFile> batchRead; // what was read, for the provenance
            for (size_t i = first; i < std::min(files.size(), first + static_cast<size_t>(batchSize)); ++i) {
                try {
                    auto read = inference::readObservationFile(files[i], readOptions);
                    batch.push_back(read.observation);
                    batchFiles.push_back(files[i]);
                    batchRead.push_back(std::move(read));
                } catch (const std::exception &e) {
                    record(failedRow(files[i].string(), inference::observationName(files[i]), e.what()));
                }
            }
            const auto finishOrRecord = [&](size_t i, inference::ReconstructionResult result) {
                try {
                    finish(batchFiles[i], batchRead[i], std::move(result));
                } catch (const std::exception &e) {
                    record(failedRow(batchFiles[i].string(), batch[i].name, e.what()));
                }
            };
            std::optional<std::vector<inference::ReconstructionResult>> results;
            try {
                results = reconstructor.runBatch(batch, options, batchSize, {}, interrupt);
            } catch (const Error &) {
                // One observation spoils the batch: run them one by one to tell which.
                for (size_t i = 0; i < batch.size() && !interrupt.cancelled(); ++i) {
                    try {
                        finishOrRecord(i, reconstructor.run(batch[i], options, {}, interrupt));
                    } catch (const std::exception &e) {
                        record(failedRow(batchFiles[i].string(), batch[i].name, e.what()));
                    }
                }
            }
            if (results)
                for (size_t i = 0; i < results->size(); ++i)
                    finishOrRecord(i, std::move((*results)[i]));
        }
        progress.finish();

        std::ostringstream csv;
        csv << "input,name,status,reduced_chi2,rms_residual,theta_E,flags,message\n";
        std::int64_t failed = 0;
        for (const auto &row : summary) {
            failed += row.status != "ok";
            csv << csvField(row.input) << ',' << csvField(row.name) << ',' << row.status << ',';
            if (row.status == "ok")
                csv << row.reducedChi2 << ',' << row.rmsResidual << ',' << row.thetaE;
            else
                csv << ",,";
            csv << ',' << csvField(row.flags) << ',' << csvField(row.message) << '\n';
        }
        fs::create_directories(out);
        writeTextAtomically(out / "summary.csv", csv.str());
        for (const auto &row : summary)
            if (row.status != "ok") // the message names the observation; the file makes it unambiguous
                std::cerr << "astrorim-cli: "
                          << (row.message.find(row.input) == std::string::npos ? row.input + ": " : std::string())
                          << row.message << '\n';
        std::cout << "reconstructed " << summary.size() - static_cast<size_t>(failed) << " of " << files.size()
                  << " inputs; outputs and summary.csv in " << out.string() << '\n';
        if (interrupt.cancelled())
            return 130;
        return failed == 0 && summary.size() == files.size() ? 0 : 1;
    });
}

} // namespace astrorim::cli
