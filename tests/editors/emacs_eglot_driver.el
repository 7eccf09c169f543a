;;; emacs_eglot_driver.el --- tests/editors/run.sh's Emacs + eglot driver  -*- lexical-binding: t -*-
;; emacs --batch -l INIT (docs/editors.md's block) -l THIS CONFIG-FILE.  With planner started by
;; eglot as INIT makes it, writes to $EDITORS_OUT what flymake shows: open.json on opening,
;; edit.yaml + edit.json after an unsaved edit, and the buffer after eglot-code-actions applied
;; the LI030 quick fix (quickfix.yaml) and INIT's planner-fix-all (fixall.yaml).
(require 'cl-lib)
(require 'json)

(defvar driver-out (or (getenv "EDITORS_OUT") (error "EDITORS_OUT not set")))
(defvar driver-file (car command-line-args-left))
(setq command-line-args-left nil)
(defvar driver-timeout 20.0)

(defun driver-fail (fmt &rest args)
  (princ (concat "emacs-eglot driver: " (apply #'format fmt args) "\n") #'external-debugging-output)
  (kill-emacs 1))

(defun driver-idle ()
  "Run the idle timers, as Emacs does when the user stops typing: batch Emacs is never idle,
and eglot sends a change (didChange) only from an idle timer."
  (dolist (timer (copy-sequence timer-idle-list))
    (timer-event-handler timer)))

(defun driver-wait (what pred)
  "Run timers and process output until PRED holds; fail after `driver-timeout' seconds."
  (let ((deadline (+ (float-time) driver-timeout)))
    (while (not (funcall pred))
      (when (> (float-time) deadline) (driver-fail "timed out waiting for %s" what))
      (accept-process-output nil 0.02)
      (driver-idle))))

;; Every publishDiagnostics the server sends counts; a step waits for the next one.
(defvar driver-published 0)
(advice-add 'eglot-handle-notification :after
            (lambda (_server method &rest _)
              (when (eq method 'textDocument/publishDiagnostics) (cl-incf driver-published))))

(defun driver-shown ()
  "Flymake's diagnostics as json: line, column, code, severity, the text flymake shows."
  (let ((names '((eglot-error . "error") (eglot-warning . "warning") (eglot-note . "info"))))
    (json-encode
     (vconcat
      (mapcar (lambda (d)
                (let ((beg (flymake-diagnostic-beg d))
                      (lsp (cdr (assoc 'eglot-lsp-diag (flymake-diagnostic-data d)))))
                  `((line . ,(line-number-at-pos beg t))
                    (column . ,(save-excursion (goto-char beg) (1+ (current-column))))
                    (code . ,(plist-get lsp :code))
                    (severity . ,(cdr (assq (flymake-diagnostic-type d) names)))
                    (message . ,(flymake-diagnostic-text d)))))
              (sort (flymake-diagnostics) (lambda (a b) (< (flymake-diagnostic-beg a) (flymake-diagnostic-beg b)))))))))

(defun driver-write (name text)
  (let ((coding-system-for-write 'utf-8-unix))
    (write-region text nil (expand-file-name name driver-out) nil 'silent)))

(defun driver-settle (what before)
  "Wait for a publishDiagnostics after BEFORE, then for flymake to show it."
  (driver-wait what (lambda () (> driver-published before)))
  ;; eglot hands a publish to flymake once flymake has called its backend: start it again and
  ;; wait until the backend has reported since (it stays "running": it reports on every publish).
  (flymake-start)
  (driver-wait (concat what " in flymake")
               (lambda () (memq 'eglot-flymake-backend (flymake-reporting-backends)))))

(defun driver-apply (what action)
  "Call ACTION (a code action command) and wait for it to change the buffer."
  (let ((before (buffer-string)))
    (funcall action)
    (driver-wait (concat what " applied") (lambda () (not (equal before (buffer-string)))))))

(defun driver-pick (title)
  "A `completing-read' that picks the item whose title holds TITLE, as a user would."
  (lambda (_prompt items &rest _)
    (car (or (cl-find-if (lambda (i) (string-match-p (regexp-quote title) (car i))) items)
             (driver-fail "no code action titled %s" title)))))

(defun driver-main ()
  (find-file driver-file)
  (unless (eq major-mode 'planner-config-mode) (driver-fail "the config is in %s" major-mode))
  (run-hooks 'post-command-hook)        ; eglot-ensure connects after the command that opened the file
  (driver-wait "eglot to connect" (lambda () (eglot-current-server)))
  (driver-settle "the diagnostics on open" 0)
  (driver-write "open.json" (driver-shown))
  (let ((original (buffer-string)) (before driver-published))
    (goto-char (point-min))
    (unless (re-search-forward "^  max_context_tokens: 8192$" nil t)
      (driver-fail "no max_context_tokens: 8192 line in the config"))
    (replace-match "  max_context_tokens: 4096" t t)
    (driver-settle "the diagnostics after the edit" before)
    (driver-write "edit.yaml" (buffer-string))
    (driver-write "edit.json" (driver-shown))
    ;; Back to the file's text; the quick fix on the LI030 line (12), then fix all.
    (setq before driver-published)
    (erase-buffer) (insert original)
    (driver-settle "the diagnostics after the undo" before)
    (goto-char (point-min)) (forward-line 11)
    (cl-letf (((symbol-function 'completing-read) (driver-pick "max_context_tokens: 4096 on route 'quick_qa'")))
      (driver-apply "the LI030 quick fix"
                    (lambda () (eglot-code-actions (line-beginning-position) (line-end-position) "quickfix" t))))
    (driver-write "quickfix.yaml" (buffer-string))
    (setq before driver-published)
    (erase-buffer) (insert original)
    (driver-settle "the diagnostics after the undo" before)
    (driver-apply "planner-fix-all" #'planner-fix-all)
    (driver-write "fixall.yaml" (buffer-string))
    (set-buffer-modified-p nil)
    (kill-emacs 0)))

(condition-case err (driver-main)
  (error (driver-fail "%s" (error-message-string err))))
