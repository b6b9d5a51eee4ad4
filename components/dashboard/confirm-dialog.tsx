"use client";
/** "Are you sure?" for actions that cannot be undone, with the server's error shown in place. */
import type { ReactNode } from "react";
import { buttonStyles, Modal } from "./modal";

export interface ConfirmDialogProps {
  isOpen: boolean;
  title: string;
  children: ReactNode;
  confirmLabel: string;
  isBusy?: boolean;
  error?: string | null;
  tone?: "danger" | "default";
  onConfirm: () => void;
  onClose: () => void;
}

export function ConfirmDialog({ isOpen, title, children, confirmLabel, isBusy, error, tone = "danger", onConfirm, onClose }: ConfirmDialogProps) {
  return (
    <Modal isOpen={isOpen} title={title} onClose={onClose}>
      <div className="mt-2 text-sm text-neutral-600 dark:text-neutral-300">{children}</div>
      <p role="alert" className="mt-2 min-h-5 text-sm text-rose-700 dark:text-rose-400">
        {error}
      </p>
      <div className="mt-3 flex justify-end gap-2">
        <button type="button" onClick={onClose} className={buttonStyles.secondary}>
          Keep it
        </button>
        <button type="button" onClick={onConfirm} disabled={isBusy} className={tone === "danger" ? buttonStyles.danger : buttonStyles.primary}>
          {isBusy ? "Working…" : confirmLabel}
        </button>
      </div>
    </Modal>
  );
}
