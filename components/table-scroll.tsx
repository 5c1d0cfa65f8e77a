"use client";

import { useTranslations } from "next-intl";
import { useEffect, useId, useRef, useState } from "react";

/** The region's name: `label` (a table's caption) or `labelledBy` (the id of a heading that names it). */
type Props = ({ label: string; labelledBy?: never } | { labelledBy: string; label?: never }) & {
  /** Classes of the scrolling box itself (border, background, rounding). */
  className?: string;
  children: React.ReactNode;
};

/**
 * Every wide table scrolls sideways in this one box rather than squeezing its columns, and says so
 * while part of it is hidden: the hidden side fades into the surface, and a line of text (also the
 * region's description for screen readers) tells to swipe. Focusable only while it scrolls, so a
 * keyboard user can scroll it and no one tabs through a box that has nothing to scroll.
 */
export function TableScroll({ label, labelledBy, className = "", children }: Props) {
  const t = useTranslations("table");
  const box = useRef<HTMLDivElement>(null);
  const hintId = useId();
  const [hidden, setHidden] = useState({ left: false, right: false });

  useEffect(() => {
    const element = box.current;
    if (!element) return;
    const measure = () => {
      const left = element.scrollLeft > 1;
      const right = element.scrollLeft + element.clientWidth < element.scrollWidth - 1;
      setHidden((was) => (was.left === left && was.right === right ? was : { left, right }));
    };
    measure();
    element.addEventListener("scroll", measure, { passive: true });
    const resized = new ResizeObserver(measure);
    resized.observe(element);
    if (element.firstElementChild) resized.observe(element.firstElementChild);
    return () => {
      element.removeEventListener("scroll", measure);
      resized.disconnect();
    };
  }, []);

  const scrolls = hidden.left || hidden.right;
  const fade = "pointer-events-none absolute inset-y-px w-8 from-white to-transparent transition-opacity";
  return (
    <div data-scrolls={scrolls || undefined}>
      {scrolls && (
        <p id={hintId} className="mb-1 text-xs text-slate-600" data-testid="table-scroll-hint">
          <span aria-hidden="true">↔ </span>
          {t("scrollHint")}
        </p>
      )}
      <div className="relative">
        <div
          ref={box}
          role="region"
          aria-label={label}
          aria-labelledby={labelledBy}
          aria-describedby={scrolls ? hintId : undefined}
          tabIndex={scrolls ? 0 : undefined}
          // Relative: an absolutely placed descendant (an sr-only header) is clipped here, not pushed past the page edge.
          className={`relative overflow-x-auto focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-700 ${className}`}
        >
          {children}
        </div>
        <div aria-hidden="true" className={`${fade} left-px bg-linear-to-r ${hidden.left ? "opacity-100" : "opacity-0"}`} />
        <div aria-hidden="true" className={`${fade} right-px bg-linear-to-l ${hidden.right ? "opacity-100" : "opacity-0"}`} />
      </div>
    </div>
  );
}
