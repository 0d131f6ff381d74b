;;; check.el --- end-to-end check of the eglot set-up in docs/editors.md  -*- lexical-binding: t -*-
;; Loaded after the documented snippet by editors/emacs/test/run.sh:
;;   emacs --batch -l snippet.el -l check.el
;; Environment: NEWSMARK_E2E_ROOT, NEWSMARK_E2E_FILE, NEWSMARK_E2E_CODES, NEWSMARK_E2E_HOVER_AT,
;; NEWSMARK_E2E_HOVER_EXPECT.  Prints PASS/FAIL lines and exits non-zero on failure.
(require 'cl-lib)
(require 'subr-x)
(defvar newsmark-e2e-passed 0)
(defvar newsmark-e2e-failed 0)
(defun newsmark-e2e-out (fmt &rest args)
  (princ (concat (apply #'format fmt args) "\n") #'external-debugging-output))
(defmacro newsmark-e2e-check (name &rest body)
  (declare (indent 1))
  `(condition-case err
       (progn ,@body
              (cl-incf newsmark-e2e-passed)
              (newsmark-e2e-out "PASS %s" ,name))
     (error (cl-incf newsmark-e2e-failed)
            (newsmark-e2e-out "FAIL %s: %s" ,name (error-message-string err)))))
(defun newsmark-e2e-wait (pred seconds)
  (let ((deadline (+ (float-time) seconds)) v)
    (while (and (not (setq v (funcall pred))) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    v))

(let* ((root (getenv "NEWSMARK_E2E_ROOT"))
       (file (expand-file-name (getenv "NEWSMARK_E2E_FILE") root))
       (codes (split-string (or (getenv "NEWSMARK_E2E_CODES") "") "[, ]+" t)))
  (find-file file)
  ;; eglot-ensure connects from post-command-hook, which batch mode never runs on its own
  (run-hooks 'post-command-hook)
  (newsmark-e2e-check "*.news.md opens in newsmark-mode"
    (unless (eq major-mode 'newsmark-mode) (error "major mode is %s" major-mode)))
  (newsmark-e2e-check "eglot connects to newsmark lsp"
    (unless (newsmark-e2e-wait #'eglot-current-server 20) (error "no eglot server for the buffer"))
    (newsmark-e2e-out "  project: %s" (project-root (eglot--project (eglot-current-server)))))
  (newsmark-e2e-check (format "Flymake shows %s" (string-join codes ", "))
    (let ((have (lambda ()
                  (let ((texts (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
                    (and (cl-every (lambda (c) (cl-some (lambda (s) (string-search (format "[%s]" c) s)) texts)) codes)
                         texts)))))
      (let ((texts (newsmark-e2e-wait have 20)))
        (unless texts
          (error "diagnostics: %S" (mapcar #'flymake-diagnostic-text (flymake-diagnostics))))
        (newsmark-e2e-out "  %d diagnostics, e.g. %s" (length texts) (car texts)))))
  (newsmark-e2e-check (format "hover shows %S" (getenv "NEWSMARK_E2E_HOVER_EXPECT"))
    (goto-char (point-min))
    (search-forward (getenv "NEWSMARK_E2E_HOVER_AT"))
    (goto-char (match-beginning 0))
    ;; into the mention's text: back to its `[`, then one character in
    (let ((depth 0) done)
      (while (not done)
        (backward-char)
        (pcase (char-after)
          (?\] (cl-incf depth))
          (?\[ (if (= depth 0) (setq done t) (cl-decf depth)))))
      (forward-char))
    (let* ((result (jsonrpc-request (eglot-current-server) :textDocument/hover
                                    (eglot--TextDocumentPositionParams)))
           (contents (plist-get result :contents))
           (text (if (stringp contents) contents (format "%s" (plist-get contents :value)))))
      (unless (string-search (getenv "NEWSMARK_E2E_HOVER_EXPECT") text)
        (error "hover: %S" text)))))

(newsmark-e2e-out "checks: %d passed, %d failed" newsmark-e2e-passed newsmark-e2e-failed)

(kill-emacs (if (> newsmark-e2e-failed 0) 1 0))
