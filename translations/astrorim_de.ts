<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ColourMap</name>
    <message>
        <location filename="../widgets/colour_maps.cpp" line="54"/>
        <source>Grey</source>
        <translation>Grau</translation>
    </message>
    <message>
        <location filename="../widgets/colour_maps.cpp" line="54"/>
        <source>Heat</source>
        <translation>Hitze</translation>
    </message>
    <message>
        <location filename="../widgets/colour_maps.cpp" line="55"/>
        <source>Viridis</source>
        <translation>Viridis</translation>
    </message>
    <message>
        <location filename="../widgets/colour_maps.cpp" line="56"/>
        <source>Diverging (zero-centred)</source>
        <translation>Divergierend (um null zentriert)</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="65"/>
        <source>x [arcsec]</source>
        <translation>x [Bogensekunden]</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="66"/>
        <source>y [arcsec]</source>
        <translation>y [Bogensekunden]</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="151"/>
        <source>θ_E = %1″ (mean κ = 1)</source>
        <translation>θ_E = %1″ (mittleres κ = 1)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="152"/>
        <source>θ_E = %1″ (SIE parameter; κ̄ &lt; 1)</source>
        <translation>θ_E = %1″ (SIE-Parameter; κ̄ &lt; 1)</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::BackgroundJobDialog</name>
    <message>
        <location filename="../app/gui/background_job_dialog.cpp" line="29"/>
        <source>Start</source>
        <translation>Starten</translation>
    </message>
    <message>
        <location filename="../app/gui/background_job_dialog.cpp" line="31"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/gui/background_job_dialog.cpp" line="76"/>
        <source>Browse…</source>
        <translation>Durchsuchen…</translation>
    </message>
    <message>
        <location filename="../app/gui/background_job_dialog.cpp" line="93"/>
        <source>auto: CUDA when this machine has a GPU, else the CPU</source>
        <translation>auto: CUDA, wenn dieser Rechner eine GPU hat, sonst die CPU</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::DiagnosticsPage</name>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="25"/>
        <source>unknown</source>
        <translation>unbekannt</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="30"/>
        <source>Planck 2018</source>
        <translation>Planck 2018</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="31"/>
        <source>Planck 2015</source>
        <translation>Planck 2015</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="32"/>
        <source>WMAP 9</source>
        <translation>WMAP 9</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="36"/>
        <source>z lens</source>
        <translation>z Linse</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="39"/>
        <source>z source</source>
        <translation>z Quelle</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="42"/>
        <source>Cosmology</source>
        <translation>Kosmologie</translation>
    </message>
    <message>
        <location filename="../app/gui/diagnostics_page.cpp" line="45"/>
        <source>Masses, distances and σ_v need both redshifts (z lens &lt; z source).</source>
        <translation>Massen, Distanzen und σ_v brauchen beide Rotverschiebungen (z Linse &lt; z Quelle).</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::FileField</name>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="38"/>
        <source>FITS images (*.fits *.fit *.fits.gz *.fz);;All files (*)</source>
        <translation>FITS-Bilder (*.fits *.fit *.fits.gz *.fz);;Alle Dateien (*)</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::MainWindow</name>
    <message>
        <location filename="../app/gui/main_window.cpp" line="55"/>
        <location filename="../app/gui/main_window.cpp" line="290"/>
        <location filename="../app/gui/main_window.cpp" line="381"/>
        <source>AstroRIM</source>
        <translation>AstroRIM</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="96"/>
        <source>Model %1 on %2</source>
        <translation>Modell %1 auf %2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="97"/>
        <source>Loaded model %1</source>
        <translation>Modell %1 geladen</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="157"/>
        <source>%1  x %2  y %3  value %4</source>
        <translation>%1  x %2  y %3  Wert %4</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="166"/>
        <source>Source</source>
        <translation>Quelle</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="167"/>
        <source>Forward model</source>
        <translation>Vorwärtsmodell</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="168"/>
        <source>Residual</source>
        <translation>Residuum</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="169"/>
        <source>χ²</source>
        <translation>χ²</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="170"/>
        <source>Model input (preprocessed)</source>
        <translation>Modelleingabe (vorverarbeitet)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="196"/>
        <source>Reconstruction</source>
        <translation>Rekonstruktion</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="105"/>
        <source>Wrote %1 files into %2</source>
        <translation>%1 Dateien nach %2 geschrieben</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="74"/>
        <source>No preview: %1</source>
        <translation>Keine Vorschau: %1</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="165"/>
        <source>Observation (click: lens centre)</source>
        <translation>Beobachtung (Klick: Linsenzentrum)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="177"/>
        <source>&amp;Images</source>
        <translation>&amp;Bilder</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="181"/>
        <source>&amp;Mass diagnostics</source>
        <translation>&amp;Massendiagnose</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="204"/>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="205"/>
        <source>&amp;Open FITS…</source>
        <translation>FITS ö&amp;ffnen…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="206"/>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="208"/>
        <source>Load &amp;Model…</source>
        <translation>&amp;Modell laden…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="210"/>
        <source>&amp;Export Outputs…</source>
        <translation>Ergebnisse &amp;exportieren…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="210"/>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="211"/>
        <source>Export &amp;Diagnostics (PNG/PDF)…</source>
        <translation>&amp;Diagnose exportieren (PNG/PDF)…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="212"/>
        <source>&amp;Copy Parameters JSON</source>
        <translation>Parameter-JSON &amp;kopieren</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="212"/>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="214"/>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="216"/>
        <source>&amp;Reconstruct</source>
        <translation>&amp;Rekonstruktion</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="217"/>
        <source>&amp;Run</source>
        <translation>&amp;Starten</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="219"/>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="222"/>
        <source>&amp;Tools</source>
        <translation>&amp;Werkzeuge</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="223"/>
        <source>&amp;Simulate Training Set…</source>
        <translation>Trainingsdaten &amp;simulieren…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="230"/>
        <source>&amp;Train Model…</source>
        <translation>Modell &amp;trainieren…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="241"/>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="244"/>
        <source>&amp;Language</source>
        <translation>&amp;Sprache</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="250"/>
        <source>The language changes when AstroRIM starts again</source>
        <translation>Die Sprache wechselt beim nächsten Start von AstroRIM</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="256"/>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="257"/>
        <source>&amp;About AstroRIM</source>
        <translation>&amp;Über AstroRIM</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="258"/>
        <source>About AstroRIM</source>
        <translation>Über AstroRIM</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="259"/>
        <source>&lt;p&gt;&lt;b&gt;AstroRIM %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Reconstructs the unlensed sources of strong gravitational lenses with a Recurrent Inference Machine through a differentiable lensing operator, and analyses the lens mass.&lt;/p&gt;&lt;p&gt;Worst event-loop stall so far: %2 ms.&lt;/p&gt;</source>
        <translation>&lt;p&gt;&lt;b&gt;AstroRIM %1&lt;/b&gt;&lt;/p&gt;&lt;p&gt;Rekonstruiert die ungelinsten Quellen starker Gravitationslinsen mit einer Recurrent Inference Machine durch einen differenzierbaren Linsenoperator und analysiert die Linsenmasse.&lt;/p&gt;&lt;p&gt;Längste Blockade der Ereignisschleife bisher: %2 ms.&lt;/p&gt;</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="280"/>
        <source>Opening %1…</source>
        <translation>Öffne %1…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="291"/>
        <source>The reconstruction of %1 has not been exported. Discard it?</source>
        <translation>Die Rekonstruktion von %1 wurde nicht exportiert. Verwerfen?</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="322"/>
        <source>AstroRIM — %1 [%2]</source>
        <translation>AstroRIM — %1 [%2]</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="324"/>
        <source>Opened %1, HDU %2</source>
        <translation>%1 geöffnet, HDU %2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="340"/>
        <source>Open a FITS file first</source>
        <translation>Zuerst eine FITS-Datei öffnen</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="345"/>
        <source>Reconstructing %1…</source>
        <translation>Rekonstruiere %1…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="356"/>
        <location filename="../app/gui/main_window.cpp" line="428"/>
        <source>Source, iteration %1 of %2</source>
        <translation>Quelle, Iteration %1 von %2</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="366"/>
        <source>Cancelled after %1 iterations</source>
        <translation>Nach %1 Iterationen abgebrochen</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="367"/>
        <source>Reconstructed in %1 iterations on %2</source>
        <translation>In %1 Iterationen auf %2 rekonstruiert</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="447"/>
        <source>Open a FITS image</source>
        <translation>FITS-Bild öffnen</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="448"/>
        <source>FITS images (*.fits *.fit *.fits.gz *.fits.fz *.fz);;All files (*)</source>
        <translation>FITS-Bilder (*.fits *.fit *.fits.gz *.fits.fz *.fz);;Alle Dateien (*)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="455"/>
        <source>Load a trained model</source>
        <translation>Trainiertes Modell laden</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="456"/>
        <source>Models (*.safetensors)</source>
        <translation>Modelle (*.safetensors)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="464"/>
        <location filename="../app/gui/main_window.cpp" line="490"/>
        <location filename="../app/gui/main_window.cpp" line="502"/>
        <source>Reconstruct a lens before exporting</source>
        <translation>Vor dem Export eine Linse rekonstruieren</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="465"/>
        <source>Export into folder</source>
        <translation>In Ordner exportieren</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="492"/>
        <source>Writing into %1…</source>
        <translation>Schreibe nach %1…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="504"/>
        <source>Export diagnostics</source>
        <translation>Diagnose exportieren</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="554"/>
        <source>Closing once the export is written…</source>
        <translation>Wird geschlossen, sobald der Export geschrieben ist…</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="109"/>
        <source>Wrote %1</source>
        <translation>%1 geschrieben</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="507"/>
        <source>PNG image (*.png);;PDF document, vector (*.pdf)</source>
        <translation>PNG-Bild (*.png);;PDF-Dokument, Vektor (*.pdf)</translation>
    </message>
    <message>
        <location filename="../app/gui/main_window.cpp" line="520"/>
        <source>Parameters JSON copied to the clipboard</source>
        <translation>Parameter-JSON in die Zwischenablage kopiert</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::ReconstructionPanel</name>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="71"/>
        <source>Image HDU</source>
        <translation>Bild-HDU</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="78"/>
        <source>from the header</source>
        <translation>aus dem Header</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="79"/>
        <source>Pixel scale</source>
        <translation>Pixelskala</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="80"/>
        <source>Choose a PSF image</source>
        <translation>PSF-Bild wählen</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="80"/>
        <source>from the file, or the FWHM</source>
        <translation>aus der Datei oder der Halbwertsbreite</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="82"/>
        <source>PSF image</source>
        <translation>PSF-Bild</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="88"/>
        <source>from the file</source>
        <translation>aus der Datei</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="89"/>
        <source>A Gaussian PSF of this FWHM, used when no PSF image is given</source>
        <translation>Eine gaußsche PSF dieser Halbwertsbreite, wenn kein PSF-Bild angegeben ist</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="90"/>
        <source>PSF FWHM</source>
        <translation>PSF-Halbwertsbreite</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="91"/>
        <source>Choose a 1σ noise map</source>
        <translation>1σ-Rauschkarte wählen</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="92"/>
        <source>from the file, or measured</source>
        <translation>aus der Datei oder gemessen</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="93"/>
        <source>Noise map</source>
        <translation>Rauschkarte</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="94"/>
        <source>Choose a mask (non-zero: no data)</source>
        <translation>Maske wählen (ungleich null: keine Daten)</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="94"/>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="95"/>
        <source>Mask</source>
        <translation>Maske</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="100"/>
        <source>Border median</source>
        <translation>Median des Randes</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="101"/>
        <source>σ-clipped median</source>
        <translation>σ-beschnittener Median</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="102"/>
        <source>None (sky-subtracted)</source>
        <translation>Keiner (Himmel abgezogen)</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="103"/>
        <source>Sky</source>
        <translation>Himmel</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="106"/>
        <source>Image centre</source>
        <translation>Bildmitte</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="107"/>
        <source>Light centroid</source>
        <translation>Lichtschwerpunkt</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="108"/>
        <source>Brightest peak</source>
        <translation>Hellstes Maximum</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="109"/>
        <source>Clicked position</source>
        <translation>Angeklickte Stelle</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="110"/>
        <source>Lens centre</source>
        <translation>Linsenzentrum</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="111"/>
        <location filename="../app/gui/reconstruction_panel.cpp" line="207"/>
        <source>Click on the observation to place the centre</source>
        <translation>Zum Setzen des Zentrums in die Beobachtung klicken</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="116"/>
        <source>Robust (median/MAD)</source>
        <translation>Robust (Median/MAD)</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="117"/>
        <source>Min–max</source>
        <translation>Min–Max</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="118"/>
        <source>Percentile 1–99</source>
        <translation>Perzentile 1–99</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="119"/>
        <source>Normalization</source>
        <translation>Normierung</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="135"/>
        <source>Within the stored iterations the slider scrubs through them; letting go beyond them runs the reconstruction again</source>
        <translation>Innerhalb der gespeicherten Iterationen blättert der Regler durch sie; darüber hinaus losgelassen, startet er die Rekonstruktion neu</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="146"/>
        <source>RIM iterations</source>
        <translation>RIM-Iterationen</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="148"/>
        <source>Reconstruct</source>
        <translation>Rekonstruieren</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="150"/>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <location filename="../app/gui/reconstruction_panel.cpp" line="214"/>
        <source>Clicked at pixel (%1, %2)</source>
        <translation>Angeklickt bei Pixel (%1, %2)</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::SimulationDialog</name>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="22"/>
        <source>Simulate a training set</source>
        <translation>Trainingsdaten simulieren</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="30"/>
        <source>Preset</source>
        <translation>Voreinstellung</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="35"/>
        <source>Pairs</source>
        <translation>Paare</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="40"/>
        <source>Seed</source>
        <translation>Startwert</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="42"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="45"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="52"/>
        <source>Choose an output folder.</source>
        <translation>Einen Ausgabeordner wählen.</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="61"/>
        <source>Simulating…</source>
        <translation>Simuliere…</translation>
    </message>
    <message>
        <location filename="../app/gui/simulation_dialog.cpp" line="79"/>
        <source>Wrote %1 of %2 pairs to %3</source>
        <translation>%1 von %2 Paaren nach %3 geschrieben</translation>
    </message>
</context>
<context>
    <name>astrorim::gui::TrainingDialog</name>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="27"/>
        <source>Train a model</source>
        <translation>Modell trainieren</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="33"/>
        <source>Lenses simulated on the fly (all presets)</source>
        <translation>Laufend simulierte Linsen (alle Voreinstellungen)</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="34"/>
        <source>A folder of simulated FITS pairs</source>
        <translation>Ein Ordner simulierter FITS-Paare</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="35"/>
        <source>Training data</source>
        <translation>Trainingsdaten</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="38"/>
        <source>Dataset folder</source>
        <translation>Datensatzordner</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="41"/>
        <source>Output folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="46"/>
        <source>Optimizer steps</source>
        <translation>Optimiererschritte</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="51"/>
        <source>Batch size</source>
        <translation>Stapelgröße</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="56"/>
        <source>RIM iterations</source>
        <translation>RIM-Iterationen</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="66"/>
        <source>Learning rate</source>
        <translation>Lernrate</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="67"/>
        <source>Final learning rate</source>
        <translation>End-Lernrate</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="69"/>
        <source>Device</source>
        <translation>Gerät</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="70"/>
        <source>Resume from the output folder&apos;s checkpoint</source>
        <translation>Vom Checkpoint im Ausgabeordner fortsetzen</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="77"/>
        <source>training loss</source>
        <translation>Trainingsverlust</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="79"/>
        <source>validation SSIM</source>
        <translation>Validierungs-SSIM</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="82"/>
        <source>step</source>
        <translation>Schritt</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="83"/>
        <source>loss</source>
        <translation>Verlust</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="87"/>
        <source>SSIM</source>
        <translation>SSIM</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="91"/>
        <source>Use this model</source>
        <translation>Dieses Modell verwenden</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="102"/>
        <source>Choose an output folder (and a dataset folder to train on one).</source>
        <translation>Einen Ausgabeordner wählen (und einen Datensatzordner, um darauf zu trainieren).</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="125"/>
        <source>Training…</source>
        <translation>Trainiere…</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="164"/>
        <source>Step %1: loss %2, validation SSIM %3</source>
        <translation>Schritt %1: Verlust %2, Validierungs-SSIM %3</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="165"/>
        <source>Step %1: loss %2</source>
        <translation>Schritt %1: Verlust %2</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="149"/>
        <source>Cancelled at step %1; resume continues from the last checkpoint</source>
        <translation>Bei Schritt %1 abgebrochen; Fortsetzen beginnt am letzten Checkpoint</translation>
    </message>
    <message>
        <location filename="../app/gui/training_dialog.cpp" line="150"/>
        <source>Finished %1 steps; the model is in %2</source>
        <translation>%1 Schritte fertig; das Modell liegt in %2</translation>
    </message>
</context>
<context>
    <name>astrorim::widgets::DiagnosticFigure</name>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="183"/>
        <source>Quantity</source>
        <translation>Größe</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="183"/>
        <source>Value</source>
        <translation>Wert</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="183"/>
        <source>±1σ</source>
        <translation>±1σ</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="183"/>
        <source>Unit / note</source>
        <translation>Einheit / Hinweis</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="219"/>
        <source>%1 — %2, reduced χ² %3, RMS residual %4 of the peak</source>
        <translation>%1 — %2, reduziertes χ² %3, RMS-Residuum %4 des Maximums</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="255"/>
        <source>observation (asinh)</source>
        <translation>Beobachtung (asinh)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="256"/>
        <source>forward model (same scale)</source>
        <translation>Vorwärtsmodell (gleiche Skala)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="257"/>
        <source>residual, ±%1</source>
        <translation>Residuum, ±%1</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="259"/>
        <source>χ² per pixel, 0–%1</source>
        <translation>χ² pro Pixel, 0–%1</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="262"/>
        <source>Forward-model check</source>
        <translation>Prüfung des Vorwärtsmodells</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="297"/>
        <source>log₁₀ κ</source>
        <translation>log₁₀ κ</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="309"/>
        <source>κ, critical curves (red), θ_E (dashed)</source>
        <translation>κ, kritische Kurven (rot), θ_E (gestrichelt)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="338"/>
        <source>κ in annuli</source>
        <translation>κ in Ringen</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="340"/>
        <source>mean κ inside r</source>
        <translation>mittleres κ innerhalb r</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="346"/>
        <location filename="../widgets/diagnostic_figure.cpp" line="405"/>
        <source>r [arcsec]</source>
        <translation>r [Bogensekunden]</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="347"/>
        <location filename="../widgets/diagnostic_figure.cpp" line="383"/>
        <source>κ</source>
        <translation>κ</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="356"/>
        <source>Radial κ profile (κ = 1 dotted)</source>
        <translation>Radiales κ-Profil (κ = 1 gepunktet)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="372"/>
        <source>κ(φ)</source>
        <translation>κ(φ)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="382"/>
        <source>φ [deg, counter-clockwise from +x]</source>
        <translation>φ [Grad, gegen den Uhrzeigersinn ab +x]</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="384"/>
        <source>κ around θ_E = %1″ (mean %2, dotted)</source>
        <translation>κ auf dem Kreis θ_E = %1″ (Mittel %2, gepunktet)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="399"/>
        <source>M(&lt;r)</source>
        <translation>M(&lt;r)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="407"/>
        <source>M(&lt;r) [M☉]</source>
        <translation>M(&lt;r) [M☉]</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="411"/>
        <source>∫κ dA [arcsec²] (redshifts unknown)</source>
        <translation>∫κ dA [Bogensekunden²] (Rotverschiebungen unbekannt)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="422"/>
        <source>  M_E = %1 M☉</source>
        <translation>  M_E = %1 M☉</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="423"/>
        <source>  π θ_E² = %1 arcsec²</source>
        <translation>  π θ_E² = %1 Bogensekunden²</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="426"/>
        <source>Enclosed mass, Einstein mass (red)</source>
        <translation>Eingeschlossene Masse, Einstein-Masse (rot)</translation>
    </message>
    <message>
        <location filename="../widgets/diagnostic_figure.cpp" line="427"/>
        <source>Enclosed convergence (give redshifts for masses)</source>
        <translation>Eingeschlossene Konvergenz (für Massen Rotverschiebungen angeben)</translation>
    </message>
</context>
<context>
    <name>astrorim::widgets::ImageView</name>
    <message>
        <location filename="../widgets/image_view.cpp" line="168"/>
        <source>arcsec</source>
        <translation>Bogensekunden</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="168"/>
        <source>pixel</source>
        <translation>Pixel</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="169"/>
        <source>x [%1]</source>
        <translation>x [%1]</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="170"/>
        <source>y [%1]</source>
        <translation>y [%1]</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="417"/>
        <source>pixel (%1, %2)  value %3</source>
        <translation>Pixel (%1, %2)  Wert %3</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="419"/>
        <source>  offset (%1″, %2″)</source>
        <translation>  Versatz (%1″, %2″)</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="430"/>
        <source>  RA %1  Dec %2</source>
        <translation>  RA %1  Dec %2</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="451"/>
        <source>Scale</source>
        <translation>Skala</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Log</source>
        <translation>Logarithmisch</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Square root</source>
        <translation>Quadratwurzel</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Asinh</source>
        <translation>Asinh</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Power</source>
        <translation>Potenz</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="452"/>
        <source>Histogram equalization</source>
        <translation>Histogrammausgleich</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="454"/>
        <source>Limits</source>
        <translation>Grenzen</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>Min/max</source>
        <translation>Min/Max</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>ZScale</source>
        <translation>ZScale</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>99.5 %</source>
        <translation>99,5 %</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>99 %</source>
        <translation>99 %</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>95 %</source>
        <translation>95 %</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="455"/>
        <source>Keep current (manual)</source>
        <translation>Aktuelle beibehalten (manuell)</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="460"/>
        <source>Colour map</source>
        <translation>Farbskala</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="462"/>
        <source>Invert colour map</source>
        <translation>Farbskala umkehren</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="466"/>
        <source>Axes in arcsec</source>
        <translation>Achsen in Bogensekunden</translation>
    </message>
    <message>
        <location filename="../widgets/image_view.cpp" line="473"/>
        <source>Reset zoom</source>
        <translation>Zoom zurücksetzen</translation>
    </message>
</context>
<context>
    <name>main</name>
    <message>
        <location filename="../app/gui/main.cpp" line="25"/>
        <source>Reconstructs strongly lensed sources with a Recurrent Inference Machine.</source>
        <translation>Rekonstruiert stark gelinste Quellen mit einer Recurrent Inference Machine.</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="29"/>
        <source>FITS image to open</source>
        <translation>Zu öffnendes FITS-Bild</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="30"/>
        <source>model weights</source>
        <translation>Modellgewichte</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="33"/>
        <source>reconstruct the file once it is open</source>
        <translation>die Datei nach dem Öffnen rekonstruieren</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="35"/>
        <source>interface language (en, de)</source>
        <translation>Sprache der Oberfläche (en, de)</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="37"/>
        <source>image HDU or band to open</source>
        <translation>zu öffnende Bild-HDU oder Band</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="41"/>
        <source>after the reconstruction, save the window as PNG and quit</source>
        <translation>nach der Rekonstruktion das Fenster als PNG speichern und beenden</translation>
    </message>
    <message>
        <location filename="../app/gui/main.cpp" line="44"/>
        <source>page to show first: images or diagnostics</source>
        <translation>zuerst gezeigte Seite: images oder diagnostics</translation>
    </message>
</context>
</TS>
