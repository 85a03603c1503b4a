#pragma once
// What the simulation and training dialogs share: a form of choices, one
// job at a time on a thread of its own with progress, a status line, start,
// cancel and close. Closing or destroying the dialog cancels the job (and
// waits for it), so nothing runs on unseen.

#include "common/progress.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLayout;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QThread;

namespace astrorim::gui {

class BackgroundJobDialog : public QDialog
{
    Q_OBJECT

public:
    ~BackgroundJobDialog() override;

    /// Whether a job is running.
    [[nodiscard]] bool running() const { return m_thread != nullptr; }

protected:
    /// `name` is the objectName; `progressName` that of the progress bar.
    BackgroundJobDialog(const QString &name, const QString &title, const QString &progressName, QWidget *parent);

    /// Lays the dialog out: `form`, then `extra` (stretching; may be null),
    /// the progress bar, the status line and the buttons. Subclasses call it
    /// at the end of their constructor, after addButton.
    void finishLayout(QFormLayout *form, QWidget *extra = nullptr);

    /// A button beside Start and Cancel.
    QPushButton *addButton(const QString &text, const QString &name);

    /// A line edit for a folder with a "Browse…" button.
    QLayout *folderField(QLineEdit *edit, const QString &title);

    /// A box offering auto (CUDA when present), cpu and cuda; its text is
    /// what nn::chooseDevice takes.
    QComboBox *deviceBox();

    /// Starts `job` on a new thread with a fresh cancel token, showing
    /// `status`; Start is disabled and Cancel enabled while it runs. An
    /// exception it throws becomes the error text. Once the thread has
    /// ended, `done` runs on the GUI thread with that text (empty on
    /// success); an error is also shown in the status line and a dialog.
    void runJob(const QString &status, std::function<void(const CancelToken &)> job,
                std::function<void(const QString &error)> done);

    /// Shows `message` in a window-modal box that does not block.
    void warn(const QString &message);

    /// Runs `f` on the GUI thread, from the job's thread (progress reports).
    void post(std::function<void()> f);

    /// The Start button calls this.
    virtual void start() = 0;

    void reject() override;

    QProgressBar *m_progress = nullptr;
    QLabel *m_status = nullptr;

private:
    QPushButton *m_start = nullptr;
    QPushButton *m_cancel = nullptr;
    QList<QPushButton *> m_extraButtons;
    QThread *m_thread = nullptr;
    CancelToken m_cancelToken;
};

} // namespace astrorim::gui
