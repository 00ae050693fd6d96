import Image from "next/image";
import { FilmIcon } from "./icons";

interface PosterImageProps {
  url: string | null;
  sizes: string;
  className?: string;
}

/** A video's poster filling its (relative, aspect-video) box, or a film icon when there is none yet. */
export function PosterImage({ url, sizes, className = "object-cover" }: PosterImageProps) {
  if (!url) {
    return (
      <div className="flex h-full items-center justify-center text-zinc-500">
        <FilmIcon className="size-10" />
      </div>
    );
  }
  return <Image src={url} alt="" fill unoptimized sizes={sizes} className={className} />;
}
