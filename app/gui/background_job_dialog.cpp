#include "background_job_dialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

namespace astrorim::gui {

BackgroundJobDialog::BackgroundJobDialog(const QString &name, const QString &title, const QString &progressName,
                                         QWidget *parent)
    : QDialog(parent)
{
    setObjectName(name);
    setWindowTitle(title);
    m_progress = new QProgressBar(this);
    m_progress->setObjectName(progressName);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("statusLabel"));
    m_status->setWordWrap(true);
    m_start = new QPushButton(tr("Start"), this);
    m_start->setObjectName(QStringLiteral("startButton"));
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setObjectName(QStringLiteral("cancelButton"));
    m_cancel->setEnabled(false);
    connect(m_start, &QPushButton::clicked, this, [this] {
        if (!running())
            start();
    });
    connect(m_cancel, &QPushButton::clicked, this, [this] { m_cancelToken.cancel(); });
}

BackgroundJobDialog::~BackgroundJobDialog()
{
    m_cancelToken.cancel();
    if (m_thread)
        m_thread->wait();
}

void BackgroundJobDialog::finishLayout(QFormLayout *form, QWidget *extra)
{
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_start, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    for (auto *button : m_extraButtons)
        buttons->addButton(button, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);
    connect(buttons, &QDialogButtonBox::rejected, this, &BackgroundJobDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    if (extra)
        layout->addWidget(extra, 1);
    layout->addWidget(m_progress);
    layout->addWidget(m_status);
    layout->addWidget(buttons);
}

QPushButton *BackgroundJobDialog::addButton(const QString &text, const QString &name)
{
    auto *button = new QPushButton(text, this);
    button->setObjectName(name);
    m_extraButtons << button;
    return button;
}

QLayout *BackgroundJobDialog::folderField(QLineEdit *edit, const QString &title)
{
    auto *browse = new QPushButton(tr("Browse…"), this);
    connect(browse, &QPushButton::clicked, this, [this, edit, title] {
        const QString folder = QFileDialog::getExistingDirectory(this, title, edit->text());
        if (!folder.isEmpty())
            edit->setText(folder);
    });
    auto *row = new QHBoxLayout;
    row->addWidget(edit);
    row->addWidget(browse);
    return row;
}

QComboBox *BackgroundJobDialog::deviceBox()
{
    auto *box = new QComboBox(this);
    box->setObjectName(QStringLiteral("deviceBox"));
    box->addItems({QStringLiteral("auto"), QStringLiteral("cpu"), QStringLiteral("cuda")});
    box->setToolTip(tr("auto: CUDA when this machine has a GPU, else the CPU"));
    return box;
}

void BackgroundJobDialog::runJob(const QString &status, std::function<void(const CancelToken &)> job,
                                 std::function<void(const QString &error)> done)
{
    m_cancelToken = CancelToken();
    m_status->setText(status);
    m_start->setEnabled(false);
    m_cancel->setEnabled(true);
    m_thread = QThread::create([this, job = std::move(job), done = std::move(done), cancel = m_cancelToken] {
        QString error;
        try {
            job(cancel);
        } catch (const std::exception &e) {
            error = QString::fromUtf8(e.what());
        }
        post([this, error, done] {
            m_thread->wait();
            delete m_thread;
            m_thread = nullptr;
            m_start->setEnabled(true);
            m_cancel->setEnabled(false);
            if (!error.isEmpty()) {
                m_status->setText(error);
                warn(error);
            }
            done(error);
        });
    });
    m_thread->start();
}

void BackgroundJobDialog::warn(const QString &message)
{
    // Window-modal but not blocking, as the main window's messages.
    auto *box = new QMessageBox(QMessageBox::Warning, windowTitle(), message, QMessageBox::Ok, this);
    box->setObjectName(QStringLiteral("errorDialog"));
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

void BackgroundJobDialog::post(std::function<void()> f)
{
    QMetaObject::invokeMethod(this, std::move(f), Qt::QueuedConnection);
}

void BackgroundJobDialog::reject()
{
    // Closing while it runs cancels: nothing runs on unseen.
    m_cancelToken.cancel();
    QDialog::reject();
}

} // namespace astrorim::gui
