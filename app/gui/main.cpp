// astrorim: the desktop application.
//   astrorim [FITS] [--model FILE] [--reconstruct] [--language de|en] [--hdu HDU]
//            [--screenshot PNG] [--page images|diagnostics]

#include "main_window.h"

#include "qcustomplot_include.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QLibraryInfo>
#include <QLocale>
#include <QSettings>
#include <QTabWidget>
#include <QTranslator>

int main(int argc, char *argv[])
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("AstroRIM"));
    QApplication::setApplicationName(QStringLiteral("AstroRIM"));
    QApplication::setApplicationVersion(QStringLiteral(ASTRORIM_VERSION));

    QCommandLineParser parser;
    parser.setApplicationDescription(QApplication::translate("main", "Reconstructs strongly lensed sources with a "
                                                                     "Recurrent Inference Machine."));
    parser.addHelpOption();
    parser.addVersionOption();
    parser.addPositionalArgument(QStringLiteral("file"), QApplication::translate("main", "FITS image to open"));
    const QCommandLineOption model(QStringLiteral("model"), QApplication::translate("main", "model weights"),
                                   QStringLiteral("FILE"));
    const QCommandLineOption run(QStringLiteral("reconstruct"),
                                 QApplication::translate("main", "reconstruct the file once it is open"));
    const QCommandLineOption language(QStringLiteral("language"),
                                      QApplication::translate("main", "interface language (en, de)"),
                                      QStringLiteral("CODE"));
    const QCommandLineOption hdu(QStringLiteral("hdu"), QApplication::translate("main", "image HDU or band to open"),
                                 QStringLiteral("HDU"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QApplication::translate("main", "after the reconstruction, save the window as PNG and quit"),
        QStringLiteral("PNG"));
    const QCommandLineOption page(QStringLiteral("page"),
                                  QApplication::translate("main", "page to show first: images or diagnostics"),
                                  QStringLiteral("PAGE"), QStringLiteral("images"));
    parser.addOptions({model, run, language, hdu, screenshot, page});
    parser.process(app);

    // The interface language: --language, else the saved choice, else the system's.
    const QString code = parser.isSet(language)
                             ? parser.value(language)
                             : QSettings().value(QStringLiteral("language"), QLocale::system().name()).toString();
    QTranslator translator, qtTranslator;
    if (translator.load(QStringLiteral(":/i18n/astrorim_") + code.left(2)))
        QApplication::installTranslator(&translator);
    if (qtTranslator.load(QStringLiteral("qtbase_") + code.left(2), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
        QApplication::installTranslator(&qtTranslator);

    astrorim::gui::MainWindow window(parser.value(model));
    window.setReconstructOnOpen(parser.isSet(run) || parser.isSet(screenshot));
    if (parser.isSet(screenshot)) {
        const QString file = parser.value(screenshot);
        window.resize(1600, 1000);
        QObject::connect(&window, &astrorim::gui::MainWindow::reconstructionShown, &window, [&window, file] {
            // The plots redraw on the next event-loop turn; draw them now.
            for (auto *plot : window.findChildren<QCustomPlot *>())
                if (plot->isVisible())
                    plot->replot(QCustomPlot::rpImmediateRefresh);
            const bool saved = window.grab().save(file, "PNG");
            QApplication::exit(saved ? 0 : 1);
        });
    }
    if (parser.value(page) == QStringLiteral("diagnostics"))
        window.findChild<QTabWidget *>(QStringLiteral("centralTabs"))->setCurrentIndex(1);
    window.show();
    if (!parser.positionalArguments().isEmpty())
        window.openFile(parser.positionalArguments().front(), parser.value(hdu));
    return QApplication::exec();
}
